import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { BatchedSweep } from '../database/batched-sweep.js';

/** Deletes published outbox rows older than OUTBOX_RETENTION_MS, in bounded batches, every OUTBOX_RETENTION_SWEEP_MS. */
@Injectable()
export class OutboxRetention extends BatchedSweep {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
  ) {
    super('Outbox retention', config.OUTBOX_RETENTION_SWEEP_MS);
  }

  /** Unpublished rows are never touched, however old. */
  protected async deleteBatch(limit: number): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM outbox_events WHERE id IN (
         SELECT id FROM outbox_events WHERE published_at < now() - $1 * interval '1 millisecond' LIMIT $2)`,
      [this.config.OUTBOX_RETENTION_MS, limit],
    );
    return count;
  }
}
