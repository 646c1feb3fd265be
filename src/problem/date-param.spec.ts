import { parseIsoDate } from './date-param.js';

describe('parseIsoDate', () => {
  it.each(['2026-12-01T17:00:00Z', '2026-03-04T05:06:07.890+02:00', '2026-03-04T05:06+0200', '2024-02-29', '0001-01-01T00:00:00Z'])('reads %s', (text) => {
    expect(parseIsoDate(text)?.getTime()).toBe(new Date(text).getTime());
  });

  it.each([
    ['a day the calendar lacks', '2026-02-30'],
    ['a 29 February outside a leap year', '2025-02-29'],
    ['year 0', '0000-01-01T00:00:00Z'],
    ['a year before the common era', '-004714-01-01T00:00:00Z'],
    ['a time without a zone', '2026-12-01T17:00:00'],
    ['hour 24', '2026-12-01T24:00:00Z'],
    ['an offset beyond 14 hours', '2026-12-01T10:00:00+15:00'],
    ['a number', 1700000000000],
    ['a boolean', true],
    ['free text the Date constructor would accept', 'December 1, 2026'],
    ['an instant in year 10000 through its offset', '9999-12-31T23:59:59-14:00'],
    ['an instant in year 0 through its offset', '0001-01-01T00:00:00+14:00'],
  ])('refuses %s', (_case, value) => {
    expect(parseIsoDate(value)).toBeNull();
  });
});
