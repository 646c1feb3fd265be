import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { SyncCursorRecord } from './sync-cursor.entity.js';

const LOCK_TIMEOUT = '55P03';

/** The sync's bookkeeping SQL: cursors, the run history and the replica-wide advisory locks. */
@Injectable()
export class SyncRecords {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  cursors(): Promise<SyncCursorRecord[]> {
    return this.dataSource.getRepository(SyncCursorRecord).find({ order: { name: 'ASC' } });
  }

  cursor(name: string): Promise<SyncCursorRecord | null> {
    return this.dataSource.getRepository(SyncCursorRecord).findOneBy({ name });
  }

  async cursorOrNew(name: string): Promise<SyncCursorRecord> {
    return (await this.cursor(name)) ?? this.dataSource.getRepository(SyncCursorRecord).create({ name, position: null });
  }

  async saveCursor(cursor: SyncCursorRecord): Promise<void> {
    await this.dataSource.getRepository(SyncCursorRecord).save(cursor);
  }

  async updateCursor(name: string, changes: Partial<Omit<SyncCursorRecord, 'name' | 'progress'>> & { progress?: unknown }): Promise<void> {
    // A JSON progress document, which TypeORM's partial-entity type cannot express.
    await this.dataSource.getRepository(SyncCursorRecord).update({ name }, changes as never);
  }

  /** Starts a run on the database's clock, so runs of replicas on different hosts compare on one clock. */
  async beginRun(name: string, replica: string): Promise<string> {
    const [{ id }] = await this.dataSource.query<{ id: string }[]>(
      'INSERT INTO sync_runs (name, replica, started_at) VALUES ($1, $2, clock_timestamp()) RETURNING id',
      [name, replica],
    );
    return id;
  }

  async finishRun(id: string, outcome: { instances?: number; changes?: number }, error: string | null): Promise<void> {
    await this.dataSource.query('UPDATE sync_runs SET finished_at = clock_timestamp(), instances = $2, changes = $3, error = $4 WHERE id = $1', [
      id,
      outcome.instances ?? null,
      outcome.changes ?? null,
      error,
    ]);
  }

  async pruneRuns(olderThanDays: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM sync_runs WHERE started_at < now() - make_interval(days => $1)`, [olderThanDays]);
  }

  /**
   * Runs `step` while holding the replica-wide advisory lock `key` on a connection of its own; null when the lock
   * could not be had (at once when `waitMs` is 0, else within it).
   */
  async underLock<T>(key: number, waitMs: number, step: () => Promise<T>): Promise<{ value: T } | null> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      if (!(await acquire(runner, key, waitMs))) return null;
      try {
        return { value: await step() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [key]);
      }
    } finally {
      await runner.release();
    }
  }
}

async function acquire(runner: QueryRunner, key: number, waitMs: number): Promise<boolean> {
  if (waitMs === 0) return ((await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [key])) as [{ locked: boolean }])[0].locked;
  await runner.query(`SET lock_timeout = ${Math.floor(waitMs)}`);
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    return true;
  } catch (error) {
    if ((error as { driverError?: { code?: string } }).driverError?.code === LOCK_TIMEOUT) return false;
    throw error;
  } finally {
    await runner.query('RESET lock_timeout');
  }
}
