/** Reads an engine list query page by page until a short page says there is no more. */
export async function allPages<T>(fetch: (firstResult: number, maxResults: number) => Promise<T[]>, pageSize = 500): Promise<T[]> {
  const all: T[] = [];
  for (let first = 0; ; first += pageSize) {
    const page = await fetch(first, pageSize);
    all.push(...page);
    if (page.length < pageSize) return all;
  }
}
