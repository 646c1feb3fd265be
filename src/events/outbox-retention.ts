import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { BatchedSweep } from '../database/batched-sweep.js';

/** Deletes published outbox rows older than OUTBOX_RETENTION_MS, in bounded batches, every OUTBOX_RETENTION_SWEEP_MS. */
@Injectable()
export class OutboxRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly sweeper: BatchedSweep;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly config: GatewayConfig,
  ) {
    // Unpublished rows are never touched, however old.
    this.sweeper = new BatchedSweep('Outbox retention', async (limit) => {
      const [, count]: [unknown, number] = await dataSource.query(
        `DELETE FROM outbox_events WHERE id IN (
           SELECT id FROM outbox_events WHERE published_at < now() - $1 * interval '1 millisecond' LIMIT $2)`,
        [config.OUTBOX_RETENTION_MS, limit],
      );
      return count;
    });
  }

  onApplicationBootstrap(): void {
    this.sweeper.start(this.config.OUTBOX_RETENTION_SWEEP_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Returns how many rows it deleted. */
  sweep(): Promise<number> {
    return this.sweeper.run();
  }
}
