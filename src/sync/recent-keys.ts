/**
 * Keys remembered for a while: each with when it was last added, forgotten once older than `keptMs` or beyond
 * `mostKeys` (oldest first), so memory stays bounded however many keys a backlog brings.
 */
export class RecentKeys {
  /** Key → when added; a Map keeps insertion order, so the oldest come first. */
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly keptMs: number,
    private readonly mostKeys: number,
  ) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(keys: Iterable<string>, at = Date.now()): void {
    for (const key of keys) {
      this.keys.delete(key);
      this.keys.set(key, at);
    }
    for (const [key, addedAt] of this.keys) {
      if (this.keys.size <= this.mostKeys && at - addedAt <= this.keptMs) break;
      this.keys.delete(key);
    }
  }
}
