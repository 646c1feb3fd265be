import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { inputRefusal } from '../http/input-values.js';
import { parseIsoDate } from '../problem/date-param.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

/** A sortable column: a non-null SQL expression, its type for the cursor comparison, and how to read it off a row. */
export interface SortKey<Row> {
  name: string;
  expression: string;
  sqlType: 'timestamptz' | 'int' | 'text';
  valueOf(row: Row): string | number;
}

const NO_OP: Record<SortKey<never>['sqlType'], string> = { timestamptz: " + interval '0'", int: ' + 0', text: " || ''" };

/**
 * The same key and order, in an expression no index matches: PostgreSQL then reads the rows the filters select and
 * sorts them, instead of walking the key's index. For filters known to select few rows.
 */
export function withoutIndex<Row>(key: SortKey<Row>): SortKey<Row> {
  return { ...key, expression: `(${key.expression}${NO_OP[key.sqlType]})` };
}

export interface Page<Item> {
  items: Item[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface CursorPayload {
  /** The sort key the cursor was made for; another sort order cannot use it. */
  k: string;
  v: string | number;
  id: string;
}

/**
 * Keyset pagination over (sort key, id): stable under concurrent inserts, unlike offsets. The cursor is opaque
 * to clients (base64url JSON) and is checked on the way in.
 */
export async function keysetPage<Row extends ObjectLiteral & { id: string }, Item>(
  builder: SelectQueryBuilder<Row>,
  options: KeysetOptions<Row> & { map: (row: Row) => Item },
): Promise<Page<Item>> {
  const { key, limit } = options;
  const rows = await keysetQuery(builder, options).getMany();
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeCursor({ k: key.name, v: key.valueOf(last), id: last.id }) : null;
  return { items: items.map(options.map), nextCursor };
}

export interface KeysetOptions<Row> {
  key: SortKey<Row>;
  idColumn: string;
  descending: boolean;
  cursor?: string;
  limit: number;
}

/** The page's window and order on the query (one row more than the page, to tell whether another follows). */
export function keysetQuery<Row extends ObjectLiteral>(builder: SelectQueryBuilder<Row>, options: KeysetOptions<Row>): SelectQueryBuilder<Row> {
  const { key, idColumn, descending, limit } = options;
  const direction = descending ? 'DESC' : 'ASC';
  if (options.cursor) {
    const after = decodeCursor(options.cursor, key);
    // "At or past the cursor, but not the cursor's row" rather than "past the cursor": the same rows, but PostgreSQL
    // estimates a row comparison by its first column alone, and "due > infinity" is nothing, while "due >= infinity"
    // is every task without a due date. Estimated as nothing, a selective filter walked the sort index through all
    // of those (80 ms at 100,000 tasks) instead of reading its own few rows.
    const value = `CAST(:cursorValue AS ${key.sqlType})`;
    builder.andWhere(
      `(${key.expression}, ${idColumn}) ${descending ? '<=' : '>='} (${value}, :cursorId) AND NOT (${key.expression} = ${value} AND ${idColumn} = :cursorId)`,
      { cursorValue: after.v, cursorId: after.id },
    );
  }
  return builder
    .orderBy(key.expression, direction)
    .addOrderBy(idColumn, direction)
    .limit(limit + 1);
}

function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

const INT4 = [-(2 ** 31), 2 ** 31 - 1] as const;
const MAX_TEXT_VALUE = 1000;
const CURSOR_ID = /^[\w:.-]{1,64}$/;

function decodeCursor(cursor: string, key: { name: string; sqlType: SortKey<never>['sqlType'] }): CursorPayload {
  try {
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
    if (payload.k === key.name && typeof payload.id === 'string' && CURSOR_ID.test(payload.id) && fitsColumn(payload.v, key.sqlType)) return payload;
  } catch {
    // fall through to the error below
  }
  throw new GatewayError(GatewayErrorCode.ValidationFailed, 'Invalid cursor', [
    { field: 'cursor', messages: ['cursor must be a nextCursor returned for the same sortBy'] },
  ]);
}

/** A cursor is client input: its value must be one the database can compare with the sort column. */
function fitsColumn(value: unknown, sqlType: SortKey<never>['sqlType']): boolean {
  switch (sqlType) {
    case 'int':
      return Number.isInteger(value) && (value as number) >= INT4[0] && (value as number) <= INT4[1];
    case 'timestamptz':
      return value === 'infinity' || parseIsoDate(value) !== null;
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT_VALUE && inputRefusal(value, 'cursor') === null;
  }
}
