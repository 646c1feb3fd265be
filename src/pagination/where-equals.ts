import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** Adds `alias.column = value` for every filter the caller set; undefined filters are skipped. */
export function whereEquals<Row extends ObjectLiteral>(builder: SelectQueryBuilder<Row>, alias: string, filters: Record<string, unknown>): void {
  for (const [column, value] of Object.entries(filters)) {
    if (value !== undefined) builder.andWhere(`${alias}.${column} = :${column}`, { [column]: value });
  }
}
