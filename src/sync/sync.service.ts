import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { DefinitionSync } from './definition-sync.js';
import { EngineChanges } from './engine-changes.js';
import { InstanceSnapshotReader } from './instance-snapshot-reader.js';
import { MirrorApplier, type DomainEvent } from './mirror-applier.js';
import { SyncCursorRecord } from './sync-cursor.entity.js';

export const ENGINE_CHANGES_CURSOR = 'engine-changes';
// Same in every replica: only the replica holding it polls.
const POLL_LOCK_KEY = 0x5f_4e_c0_01;
const REFRESH_CONCURRENCY = 4;

export interface PollResult {
  ran: boolean;
  instancesRefreshed: number;
  changesApplied: number;
  durationMs: number;
}

export interface CursorStatus {
  name: string;
  position: Date | null;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lagMs: number | null;
  lastError: string | null;
  lastRunInstances: number;
  lastRunChanges: number;
}

/** Every way the mirror is brought up to date. All of them end in MirrorApplier. */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);
  private pollQueue: Promise<unknown> = Promise.resolve();
  private polling = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
    private readonly reader: InstanceSnapshotReader,
    private readonly applier: MirrorApplier,
    private readonly changes: EngineChanges,
    private readonly definitions: DefinitionSync,
    private readonly relay: OutboxRelay,
  ) {}

  /** Real-time path: called after a gateway write, before it answers, so the caller reads its own write. */
  async refreshInstance(instanceId: string, domainEvents: DomainEvent[] = []): Promise<number> {
    const changes = await this.applier.refresh(instanceId, () => this.reader.read(instanceId), domainEvents);
    if (changes > 0) this.relay.kick();
    return changes;
  }

  async refreshDefinitions(): Promise<number> {
    return this.definitions.refreshAll();
  }

  /** Resolves when no poll is running or queued. */
  async idle(): Promise<void> {
    await this.pollQueue;
  }

  isPolling(): boolean {
    return this.polling;
  }

  /** Runs an incremental poll after any poll already running, so it sees everything that happened before the call. */
  runPoll(): Promise<PollResult> {
    const run = this.pollQueue.then(() => this.pollOnce());
    this.pollQueue = run.catch(() => undefined);
    return run;
  }

  async status(): Promise<CursorStatus[]> {
    const cursors = await this.dataSource.getRepository(SyncCursorRecord).find({ order: { name: 'ASC' } });
    const now = Date.now();
    return cursors.map((cursor) => ({
      name: cursor.name,
      position: cursor.position,
      lastRunAt: cursor.lastRunAt,
      lastSuccessAt: cursor.lastSuccessAt,
      lagMs: cursor.lastSuccessAt ? now - cursor.lastSuccessAt.getTime() : null,
      lastError: cursor.lastError,
      lastRunInstances: cursor.lastRunInstances,
      lastRunChanges: cursor.lastRunChanges,
    }));
  }

  private async pollOnce(): Promise<PollResult> {
    const started = Date.now();
    this.polling = true;
    const lockRunner = this.dataSource.createQueryRunner();
    try {
      await lockRunner.connect();
      const [{ locked }] = await lockRunner.query('SELECT pg_try_advisory_lock($1) AS locked', [POLL_LOCK_KEY]);
      if (!locked) return { ran: false, instancesRefreshed: 0, changesApplied: 0, durationMs: Date.now() - started };
      try {
        return await this.pollUnderLock(started);
      } finally {
        await lockRunner.query('SELECT pg_advisory_unlock($1)', [POLL_LOCK_KEY]);
      }
    } finally {
      this.polling = false;
      await lockRunner.release();
    }
  }

  private async pollUnderLock(started: number): Promise<PollResult> {
    const cursors = this.dataSource.getRepository(SyncCursorRecord);
    const cursor = (await cursors.findOneBy({ name: ENGINE_CHANGES_CURSOR })) ?? cursors.create({ name: ENGINE_CHANGES_CURSOR, position: null });
    // Taken before reading, so whatever happens during the poll falls inside the next one's window.
    const nextPosition = new Date(started);
    cursor.lastRunAt = nextPosition;
    try {
      const { instanceIds, definitionsChanged } = cursor.position
        ? await this.changes.since(new Date(cursor.position.getTime() - this.config.SYNC_OVERLAP_MS))
        : { instanceIds: await this.changes.openInstanceIds(), definitionsChanged: true };
      if (definitionsChanged) await this.definitions.refreshAll();
      const changesApplied = await this.refreshInstances([...instanceIds]);
      Object.assign(cursor, {
        position: nextPosition,
        lastSuccessAt: new Date(),
        lastError: null,
        lastRunInstances: instanceIds.size,
        lastRunChanges: changesApplied,
      });
      await cursors.save(cursor);
      return { ran: true, instancesRefreshed: instanceIds.size, changesApplied, durationMs: Date.now() - started };
    } catch (error) {
      cursor.lastError = (error as Error).message;
      await cursors.save(cursor).catch((saveError: Error) => this.logger.warn(`Could not record sync failure: ${saveError.message}`));
      throw error;
    }
  }

  /** Refreshes several instances, a few at a time; returns how many events that produced. */
  async refreshInstances(instanceIds: string[]): Promise<number> {
    let total = 0;
    let next = 0;
    const worker = async () => {
      while (next < instanceIds.length) total += await this.refreshInstance(instanceIds[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(REFRESH_CONCURRENCY, instanceIds.length) }, worker));
    return total;
  }
}
