import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';

// Small enough that one DELETE holds its row locks and WAL burst briefly, whatever the backlog.
export const DELETE_BATCH_SIZE = 1_000;

/**
 * A retention sweep: deletes rows in bounded batches on a timer, one sweep at a time, each batch a statement of
 * its own, and a shutdown that stops between batches and waits for the sweep in progress.
 */
export abstract class BatchedSweep implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  /** `intervalMs` null: the sweep is off, and sweep() deletes nothing. */
  protected constructor(
    private readonly name: string,
    private readonly intervalMs: number | null,
  ) {
    this.logger = new Logger(name);
  }

  /** Deletes at most `limit` rows; says how many it deleted. */
  protected abstract deleteBatch(limit: number): Promise<number>;

  onApplicationBootstrap(): void {
    if (this.intervalMs === null) return;
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(() => undefined)
        .catch((error: Error) => this.logger.warn(`${this.name} sweep failed: ${error.message}`))
        .finally(() => (this.sweeping = null));
    }, this.intervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** Returns how many rows it deleted. */
  async sweep(): Promise<number> {
    if (this.intervalMs === null) return 0;
    let deleted = 0;
    for (;;) {
      const count = await this.deleteBatch(DELETE_BATCH_SIZE);
      deleted += count;
      if (count < DELETE_BATCH_SIZE || this.stopped) return deleted;
    }
  }
}
