import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

const DECIMAL_INTEGER = /^-?\d{1,16}$/;

/**
 * An integer from a query string: plain decimal digits only (no `0x10`, `1e3`, ` 7` or `7.0`), within
 * [min, max] so it fits the column or engine field it is compared with.
 */
export function IntParam(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value)),
    IsInt(),
    Min(min),
    Max(max),
  );
}
