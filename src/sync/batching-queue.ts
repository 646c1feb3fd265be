/** One item's outcome of a batch: its value, or the error that item alone failed with. */
export type ItemOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Gathers items submitted while earlier batches run into the next batch: the first item starts at once, and under
 * load items share one run instead of queueing for a run each. A batch starts with everything waiting (up to
 * `maxBatch`), so an item never joins a batch that began before it was submitted.
 */
export class BatchingQueue<T, R> {
  private readonly waiting: { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];
  private running = 0;

  constructor(
    private readonly runBatch: (items: T[]) => Promise<ItemOutcome<R>[]>,
    private readonly maxRunning: number,
    private readonly maxBatch: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.running < this.maxRunning && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.running += 1;
      void this.runBatch(batch.map((entry) => entry.item))
        .then(
          (outcomes) =>
            batch.forEach((entry, index) => {
              const outcome = outcomes[index];
              if (outcome.ok) entry.resolve(outcome.value);
              else entry.reject(outcome.error);
            }),
          (error: unknown) => batch.forEach((entry) => entry.reject(error)),
        )
        .finally(() => {
          this.running -= 1;
          this.startBatches();
        });
    }
  }
}
