import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { ParkedInstanceRecord } from './parked-instance.entity.js';

const ERROR_TEXT_LIMIT = 2_000;

export interface ParkedStatus {
  count: number;
  /** The most recently failed ones, at most the limit asked for. */
  instances: ParkedInstanceRecord[];
}

/**
 * Instances whose refresh failed for a reason of their own (a value the mirror cannot take, an engine error
 * about that instance). They are set aside so they never hold back the others, and retried with exponential
 * backoff; a successful refresh removes them (MirrorApplier, in its own transaction).
 */
@Injectable()
export class ParkedInstances {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
  ) {}

  async park(instanceId: string, error: unknown): Promise<void> {
    // The error text may quote the very value PostgreSQL refused.
    const reason = String((error as Error)?.message ?? error)
      .replaceAll('\u0000', '\\0')
      .slice(0, ERROR_TEXT_LIMIT);
    await this.dataSource.query(
      `INSERT INTO parked_instances (instance_id, error, attempts, first_failed_at, last_failed_at, next_retry_at)
       VALUES ($1, $2, 1, now(), now(), now() + make_interval(secs => $3::float8 / 1000))
       ON CONFLICT (instance_id) DO UPDATE SET
         error = EXCLUDED.error,
         attempts = parked_instances.attempts + 1,
         last_failed_at = now(),
         next_retry_at = now() + make_interval(secs => LEAST($4::float8, $3::float8 * power(2, parked_instances.attempts)) / 1000)`,
      [instanceId, reason, this.config.SYNC_PARKED_RETRY_MIN_MS, this.config.SYNC_PARKED_RETRY_MAX_MS],
    );
  }

  /** Parked instances whose retry time has come, longest waiting first. */
  async due(limit: number): Promise<string[]> {
    const rows: { instance_id: string }[] = await this.dataSource.query(
      'SELECT instance_id FROM parked_instances WHERE next_retry_at <= now() ORDER BY next_retry_at LIMIT $1',
      [limit],
    );
    return rows.map((row) => row.instance_id);
  }

  async status(limit: number): Promise<ParkedStatus> {
    const repository = this.dataSource.getRepository(ParkedInstanceRecord);
    const [instances, count] = await Promise.all([repository.find({ order: { lastFailedAt: 'DESC' }, take: limit }), repository.count()]);
    return { count, instances };
  }

  /** Called inside the transaction of a successful refresh, so the row goes exactly when the mirror is current. */
  async release(manager: EntityManager, instanceIds: string[]): Promise<void> {
    if (instanceIds.length > 0) await manager.query('DELETE FROM parked_instances WHERE instance_id = ANY($1)', [instanceIds]);
  }
}
