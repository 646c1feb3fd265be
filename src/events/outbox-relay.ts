import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { RequestContext } from '../http/request-context.js';
import { AmqpPublisher } from './amqp-publisher.js';
import { eventHeaders } from './event-headers.js';
import { retryDelayMs, settleBatch } from './outbox-batch.js';
import { OutboxStore } from './outbox-store.js';

const BATCH_SIZE = 200;
const MAX_BACKOFF_MS = 30_000;
// Any constant works; it only has to be the same in every replica so one relay publishes at a time.
export const RELAY_LOCK_KEY = 0x0c_a4_0d_a1;

export interface OutboxStatus {
  pending: number;
  /** When the oldest unpublished row was queued (written, or re-queued from the dead letters). */
  oldestPendingAt: Date | null;
  /** Unpublished rows the broker refused at least once, waiting for their next attempt. */
  retrying: number;
  deadLetters: number;
  brokerConnected: boolean;
  lastError: string | null;
}

/**
 * Publishes outbox rows to RabbitMQ in commit order and marks them published only after the broker confirms.
 * While the broker is down it retries with exponential backoff; nothing is dropped. A row the broker refuses
 * is retried with its own backoff and, after OUTBOX_MAX_ATTEMPTS, moved to the dead letters; meanwhile only
 * its own instance's later rows wait.
 *
 * One relay across replicas: a session advisory lock on the relay's own connection, held while it drains.
 * No transaction is open while it connects to the broker or waits for confirms.
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
    private readonly store: OutboxStore,
    private readonly config: GatewayConfig,
    private readonly requests: RequestContext,
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
    const [row] = await this.dataSource.query<{ pending: number; oldest: Date | null; retrying: number; deadLetters: number }[]>(
      `SELECT count(*)::int AS pending, min(queued_at) AS oldest, (count(*) FILTER (WHERE attempts > 0))::int AS retrying,
              (SELECT count(*)::int FROM outbox_dead_letters) AS "deadLetters"
         FROM outbox_events WHERE published_at IS NULL`,
    );
    return {
      pending: row.pending,
      oldestPendingAt: row.oldest,
      retrying: row.retrying,
      deadLetters: row.deadLetters,
      brokerConnected: this.publisher.isConnected(),
      lastError: this.lastError,
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    // A request's commit kicks the relay: its loop must not go on as part of that request (log lines, traces).
    this.timer = this.requests.outside(() =>
      setTimeout(() => {
        this.timer = null;
        this.running = this.drain().finally(() => {
          this.running = null;
          this.schedule(this.failures === 0 ? this.config.OUTBOX_RELAY_INTERVAL_MS : this.backoffMs());
        });
      }, delayMs),
    );
  }

  private async drain(): Promise<void> {
    try {
      await this.whileHoldingRelayLock(async (db) => {
        while (!this.stopped && (await this.publishBatch(db)) === BATCH_SIZE);
      });
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

  /** Runs `work` on a connection of its own that holds the relay lock; does nothing when another replica holds it. */
  private async whileHoldingRelayLock(work: (db: QueryRunner) => Promise<void>): Promise<void> {
    const db = this.dataSource.createQueryRunner();
    let unlockFailure: Error | undefined;
    try {
      const [{ locked }] = (await db.query(`SELECT pg_try_advisory_lock($1) AS locked`, [RELAY_LOCK_KEY])) as [{ locked: boolean }];
      if (!locked) return;
      try {
        await work(db);
      } finally {
        await db.query(`SELECT pg_advisory_unlock($1)`, [RELAY_LOCK_KEY]).catch((error: Error) => (unlockFailure = error));
      }
    } finally {
      // A session that may still hold the lock must not go back to the pool: it would keep every other replica out.
      if (unlockFailure && 'releasePostgresConnection' in db)
        await (db as QueryRunner & { releasePostgresConnection(error: Error): Promise<void> }).releasePostgresConnection(unlockFailure);
      else await db.release();
    }
  }

  /** Read due rows, publish them with confirms (no transaction open), then record the answers in a short one. */
  private async publishBatch(db: QueryRunner): Promise<number> {
    const rows = await this.store.nextBatch(db, BATCH_SIZE);
    if (rows.length === 0) return 0;
    const outcomes = await this.publisher.publishConfirmed(
      rows.map((row) => ({
        id: row.id,
        routingKey: row.type,
        body: Buffer.from(JSON.stringify(row.payload)),
        occurredAt: row.occurredAt,
        headers: eventHeaders(row.payload, row.traceContext),
      })),
    );
    const { published, rejected } = settleBatch(rows, outcomes);
    const attemptsOf = new Map(rows.map((row) => [row.id, row.attempts + 1]));
    const refused = rejected.map(({ id, reason }) => {
      const attempts = attemptsOf.get(id)!;
      return { id, reason, attempts, retryInMs: retryDelayMs(attempts, this.config.OUTBOX_RELAY_INTERVAL_MS, MAX_BACKOFF_MS) };
    });
    for (const event of refused)
      this.logger.warn(`RabbitMQ refused outbox event ${event.id} (attempt ${event.attempts} of ${this.config.OUTBOX_MAX_ATTEMPTS}): ${event.reason}`);
    const { deadLettered } = await this.store.settle(db, published, refused, this.config.OUTBOX_MAX_ATTEMPTS);
    for (const id of deadLettered) this.logger.error(`Outbox event ${id} moved to the dead letters; its instance's later events flow again`);
    return rows.length;
  }

  private backoffMs(): number {
    return Math.min(MAX_BACKOFF_MS, this.config.OUTBOX_RELAY_INTERVAL_MS * 2 ** Math.min(this.failures, 10));
  }
}
