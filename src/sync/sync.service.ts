import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import type { EventActor } from '../events/event-types.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { DefinitionSync } from './definition-sync.js';
import { EngineChanges } from './engine-changes.js';
import { FailureTriage } from './failure-triage.js';
import { InstanceSnapshotReader } from './instance-snapshot-reader.js';
import { OPEN_INSTANCE_STATES } from '../mirror/open-states.js';
import { MirrorApplier, type RefreshOptions } from './mirror-applier.js';
import { ParkedInstances, type ParkedStatus } from './parked-instances.js';
import { PendingActors } from './pending-actors.js';
import { Reconciler } from './reconciler.js';
import { chunked, mapConcurrently } from './concurrency.js';
import { SyncCursorRecord } from './sync-cursor.entity.js';

export const ENGINE_CHANGES_CURSOR = 'engine-changes';
export const RECONCILE_CURSOR = 'reconcile';
// Same in every replica: only the replica holding it polls or reconciles.
export const SYNC_LOCK_KEY = 0x5f_4e_c0_01;
// Instances per batch refresh (one engine read, one transaction), and batches refreshed at once: while one batch
// is written, the next is read.
const REFRESH_BATCH = 100;
const BATCHES_IN_FLIGHT = 2;
// A failed batch is retried one instance at a time, this many at once.
const SINGLE_REFRESH_CONCURRENCY = 8;
// A reconcile (or a poll someone waits on) waits this long for the lock, instead of being starved by other replicas' polls.
const LOCK_WAIT_MS = 60_000;
const RUN_HISTORY_DAYS = 7;
const LOCK_TIMEOUT = '55P03';
// Parked instances retried per poll, so a long parking list never makes one poll slow.
const PARKED_RETRIES_PER_POLL = 50;
// How many parked instances /sync/status lists (their count is always complete).
const PARKED_LISTED = 50;

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

/** What a run did with a batch of instances; a failure of one instance never fails the batch. */
interface BatchOutcome {
  changes: number;
  /** Instances whose refresh changed the mirror. */
  changed: number;
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
  /** Names this process in sync_runs, so operators see which replica ran what. */
  private readonly replica = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly pendingActors = new PendingActors();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
    private readonly reader: InstanceSnapshotReader,
    private readonly applier: MirrorApplier,
    private readonly changes: EngineChanges,
    private readonly definitions: DefinitionSync,
    private readonly relay: OutboxRelay,
    private readonly reconciler: Reconciler,
    private readonly parked: ParkedInstances,
    private readonly triage: FailureTriage,
  ) {}

  /**
   * Real-time path: called after a gateway write, before it answers, so the caller reads its own write. With an
   * actor (eventActorOf the caller), the events this refresh writes name who made the change.
   */
  async refreshInstance(instanceId: string, options: RefreshOptions = {}): Promise<number> {
    const actor = options.actor ?? this.pendingActors.actorOf(instanceId);
    const changes = await this.applier.refresh(instanceId, () => this.reader.read(instanceId), { ...options, actor });
    if (options.actor) this.pendingActors.settled(instanceId);
    if (changes > 0) this.relay.kick();
    return changes;
  }

  /**
   * Says, just before a gateway command reaches the engine, who is changing the instance: a poll refreshing it
   * before the command's own refresh does still names them in the events.
   */
  expectChangeBy(instanceId: string, actor: EventActor): void {
    this.pendingActors.expect(instanceId, actor);
  }

  /** Refreshes several instances in batches; returns how many events that produced. The first failure fails the call. */
  async refreshInstances(instanceIds: string[], options: Pick<RefreshOptions, 'actor'> = {}): Promise<number> {
    let total = 0;
    await mapConcurrently(chunked(instanceIds, REFRESH_BATCH), BATCHES_IN_FLIGHT, async (batch) => {
      for (const changes of (await this.refreshBatch(batch, options.actor)).values()) total += changes;
    });
    return total;
  }

  /** Re-reads all definitions; open instances of definitions the engine deleted are refreshed (and so marked removed). */
  async refreshDefinitions(): Promise<number> {
    return this.refreshInstances(await this.refreshDefinitionsForOrphans());
  }

  /** One engine read and one transaction for the whole batch; every event names the actor, or who is pending. */
  private async refreshBatch(instanceIds: string[], actor?: EventActor | null): Promise<Map<string, number>> {
    const outcome = await this.applier.refreshMany(instanceIds, (ids) => this.reader.readMany(ids), {
      actorOf: (id) => actor ?? this.pendingActors.actorOf(id) ?? null,
    });
    if (actor) for (const id of instanceIds) this.pendingActors.settled(id);
    if ([...outcome.values()].some((changes) => changes > 0)) this.relay.kick();
    return outcome;
  }

  /**
   * The sync runs' way to refresh many instances, in batches. An instance that fails for a reason of its own is
   * parked and the rest go on: a batch that fails is refreshed again one instance at a time, so only that one is
   * parked. An outage (engine or database gone) stops the run and fails it, so the run keeps its cursor.
   */
  private async refreshIsolated(instanceIds: Iterable<string>): Promise<BatchOutcome> {
    const outcome: BatchOutcome = { changes: 0, changed: 0 };
    await mapConcurrently(chunked([...instanceIds], REFRESH_BATCH), BATCHES_IN_FLIGHT, async (batch) => {
      let results: Map<string, number>;
      try {
        results = await this.refreshBatch(batch);
      } catch (error) {
        if (await this.triage.isOutage(error)) throw error;
        results = await this.refreshEachIsolated(batch);
      }
      for (const changes of results.values()) {
        outcome.changes += changes;
        if (changes > 0) outcome.changed += 1;
      }
    });
    return outcome;
  }

  private async refreshEachIsolated(instanceIds: string[]): Promise<Map<string, number>> {
    const results = new Map<string, number>();
    await mapConcurrently(instanceIds, SINGLE_REFRESH_CONCURRENCY, async (id) => {
      try {
        results.set(id, await this.refreshInstance(id));
      } catch (error) {
        if (await this.triage.isOutage(error)) throw error;
        await this.parked.park(id, error);
        this.logger.warn(`Instance ${id} parked: its refresh failed (${(error as Error).message}); it is retried with backoff`);
      }
    });
    return results;
  }

  parkedStatus(): Promise<ParkedStatus> {
    return this.parked.status(PARKED_LISTED);
  }

  /** Re-reads all definitions; returns the open instances of definitions the engine no longer has. */
  private async refreshDefinitionsForOrphans(): Promise<string[]> {
    const removed = await this.definitions.refreshAll();
    if (removed.length === 0) return [];
    const orphans: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM process_instances WHERE definition_id = ANY($1) AND state = ANY($2)`,
      [removed, OPEN_INSTANCE_STATES],
    );
    return orphans.map((orphan) => orphan.id);
  }

  /**
   * Runs an incremental poll after any sync step already running, so it sees everything that happened before the
   * call. A scheduled poll that finds another replica polling is skipped; with `waitForLock`, for a caller that
   * promised a sync, it waits for that replica and then polls itself.
   */
  runPoll(options: { waitForLock?: boolean } = {}): Promise<SyncRunResult> {
    return this.enqueue(() => this.underLock(ENGINE_CHANGES_CURSOR, (cursor) => this.poll(cursor), options.waitForLock ? LOCK_WAIT_MS : 0));
  }

  /** Compares every open instance and task with the engine and refreshes what drifted. */
  runReconcile(): Promise<SyncRunResult> {
    return this.enqueue(() => this.underLock(RECONCILE_CURSOR, () => this.reconcile(), LOCK_WAIT_MS));
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
   * Runs one sync step while holding the replica-wide lock and records it: poll and reconcile never run twice at
   * once, in this process or across replicas. A poll that finds the lock taken is skipped (another replica is
   * polling); a reconcile waits up to `waitMs` for it.
   */
  private async underLock(name: string, step: (cursor: SyncCursorRecord) => Promise<StepOutcome>, waitMs: number): Promise<SyncRunResult> {
    const started = Date.now();
    this.running = true;
    const lockRunner = this.dataSource.createQueryRunner();
    try {
      await lockRunner.connect();
      if (!(await this.acquire(lockRunner, waitMs))) return { ran: false, instancesRefreshed: 0, changesApplied: 0, durationMs: Date.now() - started };
      try {
        // Stamped once the lock is held: the step's reads start now, not when it began to wait.
        const outcome = await this.recorded(name, new Date(), step);
        return { ran: true, instancesRefreshed: outcome.instances, changesApplied: outcome.changes, durationMs: Date.now() - started };
      } finally {
        await lockRunner.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK_KEY]);
      }
    } finally {
      this.running = false;
      await lockRunner.release();
    }
  }

  private async acquire(lockRunner: QueryRunner, waitMs: number): Promise<boolean> {
    if (waitMs === 0) return (await lockRunner.query('SELECT pg_try_advisory_lock($1) AS locked', [SYNC_LOCK_KEY]))[0].locked;
    await lockRunner.query(`SET lock_timeout = ${Math.floor(waitMs)}`);
    try {
      await lockRunner.query('SELECT pg_advisory_lock($1)', [SYNC_LOCK_KEY]);
      return true;
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === LOCK_TIMEOUT) return false;
      throw error;
    } finally {
      await lockRunner.query('RESET lock_timeout');
    }
  }

  /** Records the step in its cursor row and in sync_runs (which keeps a week of history, one row per run). */
  private async recorded(name: string, startedAt: Date, step: (cursor: SyncCursorRecord) => Promise<StepOutcome>): Promise<StepOutcome> {
    const cursors = this.dataSource.getRepository(SyncCursorRecord);
    const cursor = (await cursors.findOneBy({ name })) ?? cursors.create({ name, position: null });
    cursor.lastRunAt = startedAt;
    const [{ id: runId }] = await this.dataSource.query(
      // The database's clock for both ends of a run, so runs of replicas on different hosts compare on one clock.
      'INSERT INTO sync_runs (name, replica, started_at) VALUES ($1, $2, clock_timestamp()) RETURNING id',
      [name, this.replica],
    );
    const finishRun = (outcome: Partial<StepOutcome>, error: string | null) =>
      this.dataSource.query('UPDATE sync_runs SET finished_at = clock_timestamp(), instances = $2, changes = $3, error = $4 WHERE id = $1', [
        runId,
        outcome.instances ?? null,
        outcome.changes ?? null,
        error,
      ]);
    try {
      const outcome = await step(cursor);
      await finishRun(outcome, null);
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
      await finishRun({}, cursor.lastError).catch(() => undefined);
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
    const orphans = definitionsChanged ? await this.refreshDefinitionsForOrphans() : [];
    const retries = await this.parked.due(PARKED_RETRIES_PER_POLL);
    const batch = await this.refreshIsolated(new Set([...orphans, ...instanceIds, ...retries]));
    return { instances: instanceIds.size, changes: batch.changes, position };
  }

  /** Counts as drift every instance whose refresh changed the mirror. */
  private async reconcile(): Promise<StepOutcome> {
    await this.dataSource.query(`DELETE FROM sync_runs WHERE started_at < now() - make_interval(days => $1)`, [RUN_HISTORY_DAYS]);
    const orphans = await this.refreshDefinitionsForOrphans();
    const { checked, suspects } = await this.reconciler.findDrift();
    const { changed: fixed } = await this.refreshIsolated(new Set([...orphans, ...suspects]));
    if (fixed > 0) this.logger.log(`Reconcile fixed drift in ${fixed} instance(s); ${checked} open instances and tasks compared`);
    return { instances: checked, changes: fixed };
  }
}
