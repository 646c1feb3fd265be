import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';

// Small enough that one DELETE holds its row locks and WAL burst briefly, whatever the backlog.
const DELETE_BATCH_SIZE = 1_000;

/** Deletes published outbox rows older than OUTBOX_RETENTION_MS, in bounded batches, every OUTBOX_RETENTION_SWEEP_MS. */
@Injectable()
export class OutboxRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRetention.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(() => undefined)
        .catch((error: Error) => this.logger.warn(`Outbox retention sweep failed: ${error.message}`))
        .finally(() => (this.sweeping = null));
    }, this.config.OUTBOX_RETENTION_SWEEP_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** Returns how many rows it deleted. Unpublished rows are never touched, however old. */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [, count]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM outbox_events WHERE id IN (
           SELECT id FROM outbox_events WHERE published_at < now() - $1 * interval '1 millisecond' LIMIT $2)`,
        [this.config.OUTBOX_RETENTION_MS, DELETE_BATCH_SIZE],
      );
      deleted += count;
      if (count < DELETE_BATCH_SIZE || this.stopped) return deleted;
    }
  }
}
