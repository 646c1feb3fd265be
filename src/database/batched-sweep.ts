import { Logger } from '@nestjs/common';

// Small enough that one DELETE holds its row locks and WAL burst briefly, whatever the backlog.
export const DELETE_BATCH_SIZE = 1_000;

/**
 * Deletes rows in bounded batches on a timer: one sweep at a time, each batch a statement of its own, and a
 * shutdown that stops between batches and waits for the sweep in progress.
 */
export class BatchedSweep {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  /** `deleteBatch` deletes at most `limit` rows and says how many it deleted. */
  constructor(
    private readonly name: string,
    private readonly deleteBatch: (limit: number) => Promise<number>,
  ) {
    this.logger = new Logger(name);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.run()
        .then(() => undefined)
        .catch((error: Error) => this.logger.warn(`${this.name} sweep failed: ${error.message}`))
        .finally(() => (this.sweeping = null));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** Returns how many rows it deleted. */
  async run(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await this.deleteBatch(DELETE_BATCH_SIZE);
      deleted += count;
      if (count < DELETE_BATCH_SIZE || this.stopped) return deleted;
    }
  }
}
