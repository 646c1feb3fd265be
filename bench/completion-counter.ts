/**
 * Counts completions up to a target and remembers when the first and the last one came (performance.now()).
 * `reached` rejects when nothing is counted for `stallMs`: a side that stopped working fails the run quickly
 * instead of hanging it, whatever N is.
 */
export class CompletionCounter {
  count = 0;
  firstAt: number | null = null;
  lastAt: number | null = null;
  doneAt: number | null = null;
  private lastProgressAt = performance.now();
  private settle: { resolve: () => void; reject: (error: Error) => void } | null = null;

  constructor(
    readonly target: number,
    private readonly what: string,
  ) {}

  add(): void {
    const now = performance.now();
    this.count += 1;
    this.firstAt ??= now;
    this.lastAt = now;
    this.lastProgressAt = now;
    if (this.count === this.target) {
      this.doneAt = now;
      this.settle?.resolve();
    }
  }

  reached(stallMs: number): Promise<void> {
    if (this.doneAt !== null) return Promise.resolve();
    this.lastProgressAt = performance.now();
    return new Promise<void>((resolve, reject) => {
      const watchdog = setInterval(() => {
        if (performance.now() - this.lastProgressAt > stallMs) {
          clearInterval(watchdog);
          reject(new Error(`${this.what}: ${this.count} of ${this.target} after ${stallMs} ms without progress`));
        }
      }, 250);
      this.settle = {
        resolve: () => {
          clearInterval(watchdog);
          resolve();
        },
        reject,
      };
    });
  }
}
