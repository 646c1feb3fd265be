import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate } from 'class-validator';

// A calendar date, optionally with a time and then a zone: what ISO 8601 and RFC 3339 both read the same way.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2})))?$/;

/** Parses a strict ISO 8601 date or date-time with a zone; null for anything else, including 2026-02-30 and year 0. */
export function parseIsoDate(value: unknown): Date | null {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  if (!match) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0, , offsetHours = 0, offsetMinutes = 0] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((group) =>
    match[group] === undefined ? undefined : Number(match[group]),
  ) as number[];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const realDay = year >= 1 && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  if (!realDay || hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59) return null;
  // The offset can carry a date across a year boundary: the instant itself must stay within years 1-9999 too.
  const instant = new Date(value as string);
  return instant.getUTCFullYear() >= 1 && instant.getUTCFullYear() <= 9999 ? instant : null;
}

/**
 * A date-time field (query or body): a strict ISO 8601 string only. `true`, numbers, `2026-02-30` and dates
 * outside years 1-9999 fail validation instead of being coerced into some other date.
 */
export function DateParam(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => parseIsoDate(value) ?? value),
    IsDate({ message: ({ property }) => `${property} must be an ISO 8601 date-time with a zone, e.g. 2026-01-31T09:30:00Z` }),
  );
}
