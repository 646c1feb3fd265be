// PostgreSQL text, text[] and jsonb cannot hold U+0000, which the engine can (a Json variable holding "\u0000",
// a serialized Object, a value from an engine on another database). Such a value is stored escaped: `\` becomes
// `\\` and U+0000 becomes `\0`, in every string and object key inside it. Only values that hold U+0000 are escaped,
// and the row names them in `escaped_fields`, so readers know which to restore; nothing of the engine's value is lost.

const NUL = '\u0000';

/** A mirror row that can carry escaped values; `escapedFields` lists their property names. */
export interface EscapableRow {
  escapedFields: string[];
}

export function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (Array.isArray(value)) return value.some(holdsNul);
  if (isPlainObject(value)) return Object.entries(value).some(([key, inner]) => key.includes(NUL) || holdsNul(inner));
  return false;
}

export function escapeNul(value: unknown): unknown {
  return mapStrings(value, (text) => text.replace(/[\\\u0000]/g, (char) => (char === NUL ? '\\0' : '\\\\')));
}

export function restoreNul(value: unknown): unknown {
  return mapStrings(value, (text) => text.replace(/\\([\\0])/g, (_, char: string) => (char === '0' ? NUL : '\\')));
}

/** A copy of the row that PostgreSQL can store: the named fields that hold U+0000 escaped and listed. */
export function storable<T extends object>(row: T, fields: readonly string[]): T & EscapableRow {
  const copy = { ...row, escapedFields: [] as string[] };
  for (const field of fields) {
    const value = (row as Record<string, unknown>)[field];
    if (!holdsNul(value)) continue;
    (copy as Record<string, unknown>)[field] = escapeNul(value);
    copy.escapedFields.push(field);
  }
  return copy;
}

/** The row with the engine's values back, for building events and answers. */
export function restored<T extends EscapableRow>(row: T): T {
  if (row.escapedFields.length === 0) return row;
  const copy = { ...row } as Record<string, unknown>;
  for (const field of row.escapedFields) copy[field] = restoreNul(copy[field]);
  return Object.assign(Object.create(Object.getPrototypeOf(row) as object) as T, copy, { escapedFields: [] });
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((inner) => mapStrings(inner, map));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [map(key), mapStrings(inner, map)]));
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !(value instanceof Date) && !Array.isArray(value);
}
