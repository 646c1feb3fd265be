/** Where a walk over rows ordered by (time, id) got to: the last row taken, and rows at its time to skip. */
export interface Keyset {
  at: string | null;
  id: string | null;
  /** Rows skipped past the query's start when a whole page held only rows at `at` already taken. */
  skip: number;
}

export const KEYSET_START: Keyset = { at: null, id: null, skip: 0 };

export interface KeysetPage<T> {
  rows: T[];
  keyset: Keyset;
  /** True when this page reached the end of the rows. */
  last: boolean;
}

/**
 * The next page of a set that moves while it is read, by keyset instead of offset: `fetch` answers rows at or after
 * a time (inclusive), ordered by time then id; rows up to the keyset are dropped, so rows that appear or vanish
 * before it shift nothing. Rows sharing one time beyond a page are walked with `skip`.
 */
export async function nextKeysetPage<T>(
  keyset: Keyset,
  pageSize: number,
  fetch: (from: Date | null, skip: number) => Promise<T[]>,
  keyOf: (row: T) => { at: Date; id: string },
): Promise<KeysetPage<T>> {
  const from = keyset.at ? new Date(keyset.at) : null;
  const fetched = await fetch(from, keyset.skip);
  const fresh = fetched.filter((row) => {
    if (!from) return true;
    const { at, id } = keyOf(row);
    return at > from || (at.getTime() === from.getTime() && id > keyset.id!);
  });
  const full = fetched.length >= pageSize;
  if (fresh.length === 0) return full ? { rows: [], keyset: { ...keyset, skip: keyset.skip + pageSize }, last: false } : { rows: [], keyset, last: true };
  const lastRow = keyOf(fresh[fresh.length - 1]);
  return { rows: fresh, keyset: { at: lastRow.at.toISOString(), id: lastRow.id, skip: 0 }, last: !full };
}
