import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { DefinitionSync } from './definition-sync.js';
import { EngineChanges } from './engine-changes.js';
import { InstanceSnapshotReader } from './instance-snapshot-reader.js';
import { MirrorApplier, type DomainEvent } from './mirror-applier.js';
import { Reconciler } from './reconciler.js';
import { SyncCursorRecord } from './sync-cursor.entity.js';

export const ENGINE_CHANGES_CURSOR = 'engine-changes';
export const RECONCILE_CURSOR = 'reconcile';
// Same in every replica: only the replica holding it polls or reconciles.
const SYNC_LOCK_KEY = 0x5f_4e_c0_01;
const REFRESH_CONCURRENCY = 4;

export interface SyncRunResult {
  /** False when another replica held the sync lock and this run was skipped. */
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
  /** Poll: instances it refreshed. Reconcile: open instances and tasks it compared. */
  lastRunInstances: number;
  /** Poll: events it produced. Reconcile: instances whose drift it fixed. */
  lastRunChanges: number;
}

interface StepOutcome {
  instances: number;
  changes: number;
  position?: Date;
}

/** Every way the mirror is brought up to date. All of them end in MirrorApplier. */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
    private readonly reader: InstanceSnapshotReader,
    private readonly applier: MirrorApplier,
    private readonly changes: EngineChanges,
    private readonly definitions: DefinitionSync,
    private readonly relay: OutboxRelay,
    private readonly reconciler: Reconciler,
  ) {}

  /** Real-time path: called after a gateway write, before it answers, so the caller reads its own write. */
  async refreshInstance(instanceId: string, domainEvents: DomainEvent[] = []): Promise<number> {
    const changes = await this.applier.refresh(instanceId, () => this.reader.read(instanceId), domainEvents);
    if (changes > 0) this.relay.kick();
    return changes;
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

  /** Re-reads all definitions; open instances of definitions the engine deleted are refreshed (and so marked removed). */
  async refreshDefinitions(): Promise<number> {
    return this.refreshInstances(await this.refreshDefinitionsForOrphans());
  }

  /** Re-reads all definitions; returns the open instances of definitions the engine no longer has. */
  private async refreshDefinitionsForOrphans(): Promise<string[]> {
    const removed = await this.definitions.refreshAll();
    if (removed.length === 0) return [];
    const orphans: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM process_instances WHERE definition_id = ANY($1) AND state IN ('ACTIVE', 'SUSPENDED')`,
      [removed],
    );
    return orphans.map((orphan) => orphan.id);
  }

  /** Runs an incremental poll after any sync step already running, so it sees everything that happened before the call. */
  runPoll(): Promise<SyncRunResult> {
    return this.enqueue(() => this.underLock(ENGINE_CHANGES_CURSOR, (cursor) => this.poll(cursor)));
  }

  /** Compares every open instance and task with the engine and refreshes what drifted. */
  runReconcile(): Promise<SyncRunResult> {
    return this.enqueue(() => this.underLock(RECONCILE_CURSOR, () => this.reconcile()));
  }

  /** Resolves when no sync step is running or queued. */
  async idle(): Promise<void> {
    await this.queue;
  }

  isRunning(): boolean {
    return this.running;
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

  private enqueue(run: () => Promise<SyncRunResult>): Promise<SyncRunResult> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs one sync step while holding the replica-wide lock and records it in its cursor row: poll and reconcile
   * never run twice at once, in this process or across replicas. If another replica holds the lock, it is skipped.
   */
  private async underLock(name: string, step: (cursor: SyncCursorRecord) => Promise<StepOutcome>): Promise<SyncRunResult> {
    const started = Date.now();
    this.running = true;
    const lockRunner = this.dataSource.createQueryRunner();
    try {
      await lockRunner.connect();
      const [{ locked }] = await lockRunner.query('SELECT pg_try_advisory_lock($1) AS locked', [SYNC_LOCK_KEY]);
      if (!locked) return { ran: false, instancesRefreshed: 0, changesApplied: 0, durationMs: Date.now() - started };
      try {
        const outcome = await this.recorded(name, new Date(started), step);
        return { ran: true, instancesRefreshed: outcome.instances, changesApplied: outcome.changes, durationMs: Date.now() - started };
      } finally {
        await lockRunner.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK_KEY]);
      }
    } finally {
      this.running = false;
      await lockRunner.release();
    }
  }

  private async recorded(name: string, startedAt: Date, step: (cursor: SyncCursorRecord) => Promise<StepOutcome>): Promise<StepOutcome> {
    const cursors = this.dataSource.getRepository(SyncCursorRecord);
    const cursor = (await cursors.findOneBy({ name })) ?? cursors.create({ name, position: null });
    cursor.lastRunAt = startedAt;
    try {
      const outcome = await step(cursor);
      Object.assign(cursor, {
        position: outcome.position ?? startedAt,
        lastSuccessAt: new Date(),
        lastError: null,
        lastRunInstances: outcome.instances,
        lastRunChanges: outcome.changes,
      });
      await cursors.save(cursor);
      return outcome;
    } catch (error) {
      cursor.lastError = (error as Error).message;
      await cursors.save(cursor).catch((saveError: Error) => this.logger.warn(`Could not record ${name} failure: ${saveError.message}`));
      throw error;
    }
  }

  private async poll(cursor: SyncCursorRecord): Promise<StepOutcome> {
    // The run's start, taken before reading: whatever happens during the poll falls inside the next one's window.
    const position = cursor.lastRunAt!;
    const { instanceIds, definitionsChanged } = cursor.position
      ? await this.changes.since(new Date(cursor.position.getTime() - this.config.SYNC_OVERLAP_MS))
      : { instanceIds: await this.changes.openInstanceIds(), definitionsChanged: true };
    const removedChanges = definitionsChanged ? await this.refreshDefinitions() : 0;
    const changes = removedChanges + (await this.refreshInstances([...instanceIds]));
    return { instances: instanceIds.size, changes, position };
  }

  /** Counts as drift every instance whose refresh changed the mirror. */
  private async reconcile(): Promise<StepOutcome> {
    const orphans = await this.refreshDefinitionsForOrphans();
    const { checked, suspects } = await this.reconciler.findDrift();
    let fixed = 0;
    for (const id of new Set([...orphans, ...suspects])) if ((await this.refreshInstance(id)) > 0) fixed += 1;
    if (fixed > 0) this.logger.log(`Reconcile fixed drift in ${fixed} instance(s); ${checked} open instances and tasks compared`);
    return { instances: checked, changes: fixed };
  }
}
