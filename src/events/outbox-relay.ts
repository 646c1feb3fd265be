import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { AmqpPublisher } from './amqp-publisher.js';
import { OutboxEventRecord } from './outbox-event.entity.js';

const BATCH_SIZE = 200;
const MAX_BACKOFF_MS = 30_000;
// Any constant works; it only has to be the same in every replica so one relay publishes at a time.
const RELAY_LOCK_KEY = 0x0c_a4_0d_a1;

export interface OutboxStatus {
  pending: number;
  oldestPendingAt: Date | null;
  brokerConnected: boolean;
  lastError: string | null;
}

/**
 * Publishes outbox rows to RabbitMQ in commit order and marks them published only after the broker confirms.
 * While the broker is down it retries with exponential backoff; nothing is dropped.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private failures = 0;
  private lastError: string | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly publisher: AmqpPublisher,
    private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.publisher.ensureTopology().catch((error: Error) => this.logger.warn(`RabbitMQ not reachable at boot: ${error.message}; will retry`));
    this.schedule(0);
  }

  /** Finishes the batch in flight; whatever is left stays in the outbox for the next start. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Publish soon: called after a transaction that wrote events has committed. */
  kick(): void {
    if (this.failures === 0) this.schedule(0);
  }

  /** Connects if needed; throws when RabbitMQ cannot be reached. */
  async checkBroker(): Promise<void> {
    await this.publisher.ensureTopology();
  }

  async status(): Promise<OutboxStatus> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS pending, min(occurred_at) AS oldest FROM outbox_events WHERE published_at IS NULL`,
    );
    return { pending: row.pending, oldestPendingAt: row.oldest, brokerConnected: this.publisher.isConnected(), lastError: this.lastError };
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain().finally(() => {
        this.running = null;
        this.schedule(this.failures === 0 ? this.config.OUTBOX_RELAY_INTERVAL_MS : this.backoffMs());
      });
    }, delayMs);
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped && (await this.publishBatch()) === BATCH_SIZE);
      if (this.failures > 0) this.logger.log('Outbox relay recovered; publishing again');
      this.failures = 0;
      this.lastError = null;
    } catch (error) {
      this.failures += 1;
      this.lastError = (error as Error).message;
      if (this.failures === 1 || this.failures % 10 === 0) {
        this.logger.warn(`Outbox relay cannot publish (attempt ${this.failures}): ${this.lastError}`);
      }
    }
  }

  /** One transaction: lock the relay, read a batch, publish with confirms, mark it published. */
  private async publishBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [RELAY_LOCK_KEY]);
      if (!locked) return 0;
      const rows = await manager
        .createQueryBuilder(OutboxEventRecord, 'event')
        .where('event.published_at IS NULL')
        .orderBy('event.position', 'ASC')
        .limit(BATCH_SIZE)
        .getMany();
      if (rows.length === 0) return 0;
      await this.publisher.publishConfirmed(
        rows.map((row) => ({ id: row.id, routingKey: row.type, body: Buffer.from(JSON.stringify(row.payload)), occurredAt: row.occurredAt })),
      );
      await manager.query(`UPDATE outbox_events SET published_at = now() WHERE id = ANY($1)`, [rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  private backoffMs(): number {
    return Math.min(MAX_BACKOFF_MS, this.config.OUTBOX_RELAY_INTERVAL_MS * 2 ** Math.min(this.failures, 10));
  }
}
