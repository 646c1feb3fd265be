import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { GatewayConfig } from '../config/gateway-config.js';
import { EngineChanges } from './engine-changes.js';
import { InstanceImport, IMPORT_CURSOR, type ImportSlice, type ImportStatus } from './instance-import.js';
import { FailureTriage } from './failure-triage.js';
import { InstanceRefresher } from './instance-refresher.js';
import { ParkedInstances, type ParkedStatus } from './parked-instances.js';
import { PollWindows } from './poll-windows.js';
import { Reconciler } from './reconciler.js';
import type { SyncCursorRecord } from './sync-cursor.entity.js';
import { SyncRecords } from './sync-records.js';

export const ENGINE_CHANGES_CURSOR = 'engine-changes';
export const RECONCILE_CURSOR = 'reconcile';
// Same in every replica: only the replica holding one polls, only the one holding the other reconciles. Two locks,
// so a long reconcile never holds up the polls (both refresh through per-instance locks, safe side by side).
export const SYNC_LOCK_KEY = 0x5f_4e_c0_01;
export const RECONCILE_LOCK_KEY = 0x5f_4e_c0_02;
// How long one poll imports before it lets the next poll look at what changed meanwhile.
const IMPORT_SLICE_MS = 3_000;
// A reconcile (or a poll someone waits on) waits this long for the lock, instead of being starved by other replicas' polls.
const LOCK_WAIT_MS = 60_000;
const RUN_HISTORY_DAYS = 7;
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
  /** True while the first import of the mirror has more to do: the scheduler polls again right away. */
  importPending: boolean;
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
  importPending?: boolean;
}

/**
 * The sync runner: the incremental poll (with the first import in slices between polls) and the full reconcile,
 * one at a time across replicas, each recorded in its cursor and in sync_runs. Refreshing is InstanceRefresher's.
 */
@Injectable()
export class SyncService {
  private readonly logger = new Logger(SyncService.name);
  /** One step at a time of each kind in this process, each after the one queued before it. */
  private readonly polls = new StepQueue();
  private readonly reconciles = new StepQueue();
  private running = false;
  /** Names this process in sync_runs, so operators see which replica ran what. */
  private readonly replica = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly windows: PollWindows;

  constructor(
    private readonly records: SyncRecords,
    config: GatewayConfig,
    private readonly refresher: InstanceRefresher,
    private readonly changes: EngineChanges,
    private readonly instanceImport: InstanceImport,
    private readonly reconciler: Reconciler,
    private readonly parked: ParkedInstances,
    private readonly triage: FailureTriage,
  ) {
    this.windows = new PollWindows(config.SYNC_OVERLAP_MS);
  }

  importStatus(): Promise<ImportStatus | null> {
    return this.instanceImport.status();
  }

  parkedStatus(): Promise<ParkedStatus> {
    return this.parked.status(PARKED_LISTED);
  }

  /**
   * Runs an incremental poll after any sync step already running, so it sees everything that happened before the
   * call. A scheduled poll that finds another replica polling is skipped; with `waitForLock`, for a caller that
   * promised a sync, it waits for that replica and then polls itself. A `deep` poll looks back the whole overlap
   * (PollWindows), for a caller who waits on what their own command did or asked for a poll.
   */
  runPoll(options: { waitForLock?: boolean; deep?: boolean } = {}): Promise<SyncRunResult> {
    const poll = (cursor: SyncCursorRecord) => this.poll(cursor, options.deep ?? false);
    return this.polls.then(() => this.underLock(SYNC_LOCK_KEY, ENGINE_CHANGES_CURSOR, poll, options.waitForLock ? LOCK_WAIT_MS : 0));
  }

  /** Compares every open instance and task with the engine and refreshes what drifted. */
  runReconcile(): Promise<SyncRunResult> {
    return this.reconciles.then(() => this.underLock(RECONCILE_LOCK_KEY, RECONCILE_CURSOR, () => this.reconcile(), LOCK_WAIT_MS));
  }

  /** Resolves when no sync step is running or queued. */
  async idle(): Promise<void> {
    await Promise.all([this.polls.idle(), this.reconciles.idle()]);
  }

  isRunning(): boolean {
    return this.running;
  }

  async status(): Promise<CursorStatus[]> {
    const cursors = await this.records.cursors();
    const now = Date.now();
    // The import has its own status (importStatus): once done, its lag would only grow.
    return cursors
      .filter((cursor) => cursor.name !== IMPORT_CURSOR)
      .map((cursor) => ({
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

  /**
   * Runs one sync step while holding the replica-wide lock and records it: poll and reconcile never run twice at
   * once, in this process or across replicas. A poll that finds the lock taken is skipped (another replica is
   * polling); a reconcile waits up to `waitMs` for it.
   */
  private async underLock(lockKey: number, name: string, step: (cursor: SyncCursorRecord) => Promise<StepOutcome>, waitMs: number): Promise<SyncRunResult> {
    const started = Date.now();
    const polling = lockKey === SYNC_LOCK_KEY;
    if (polling) this.running = true;
    try {
      // Stamped once the lock is held: the step's reads start now, not when it began to wait.
      const held = await this.records.underLock(lockKey, waitMs, () => this.recorded(name, new Date(), step));
      if (!held) return { ran: false, instancesRefreshed: 0, changesApplied: 0, durationMs: Date.now() - started, importPending: false };
      return {
        ran: true,
        instancesRefreshed: held.value.instances,
        changesApplied: held.value.changes,
        durationMs: Date.now() - started,
        importPending: held.value.importPending ?? false,
      };
    } finally {
      if (polling) this.running = false;
    }
  }

  /** Records the step in its cursor row and in sync_runs (which keeps a week of history, one row per run). */
  private async recorded(name: string, startedAt: Date, step: (cursor: SyncCursorRecord) => Promise<StepOutcome>): Promise<StepOutcome> {
    const cursor = await this.records.cursorOrNew(name);
    cursor.lastRunAt = startedAt;
    const runId = await this.records.beginRun(name, this.replica);
    const finishRun = (outcome: Partial<StepOutcome>, error: string | null) => this.records.finishRun(runId, outcome, error);
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
      await this.records.saveCursor(cursor);
      return outcome;
    } catch (error) {
      cursor.lastError = (error as Error).message;
      await finishRun({}, cursor.lastError).catch(() => undefined);
      await this.records.saveCursor(cursor).catch((saveError: Error) => this.logger.warn(`Could not record ${name} failure: ${saveError.message}`));
      throw error;
    }
  }

  /**
   * What changed in the poll's window (PollWindows), then a slice of the first import if one is under way. The
   * first poll of a fresh mirror begins that import and from then on watches changes, so a long import never keeps
   * other changes out of the mirror.
   */
  private async poll(cursor: SyncCursorRecord, deep: boolean): Promise<StepOutcome> {
    // The run's start, taken before reading: whatever happens during the poll falls inside the next one's window.
    const position = cursor.lastRunAt!;
    const fresh = !cursor.position;
    if (fresh) {
      await this.instanceImport.begin(position);
      // Watched from the import's start on, even if this first run fails: no window is left unpolled.
      cursor.position = position;
      await this.records.saveCursor(cursor);
    }
    // A fresh mirror's first poll lists nothing, and counts as deep: the import reads what was open from then on.
    const window = this.windows.next(cursor.position!, position, { deep });
    const { instanceIds, definitionsChanged, logged, settle } = fresh
      ? { instanceIds: new Set<string>(), definitionsChanged: true, logged: undefined, settle: () => undefined }
      : await this.changes.since(window.from);
    const orphans = definitionsChanged ? await this.refresher.refreshDefinitionsForOrphans() : [];
    const retries = await this.parked.due(PARKED_RETRIES_PER_POLL);
    const batch = await this.refresher.refreshIsolated(new Set([...orphans, ...instanceIds, ...retries]), { logged });
    // An instance whose refresh failed is parked and retried on its own schedule, so its changes are settled too.
    settle();
    this.windows.succeeded(window, position);
    const imported = await this.importSlice();
    return { instances: instanceIds.size + imported.instances, changes: batch.changes + imported.changes, position, importPending: imported.pending };
  }

  /**
   * An import that fails for a reason of its own (not an outage) must not stop the polls: its error is kept on its
   * cursor and in /sync/status, and the next poll tries again.
   */
  private async importSlice(): Promise<ImportSlice> {
    try {
      return await this.instanceImport.continue(IMPORT_SLICE_MS);
    } catch (error) {
      if (await this.triage.isOutage(error)) throw error;
      await this.instanceImport.failed(error as Error);
      return { instances: 0, changes: 0, pending: true };
    }
  }

  /**
   * Counts as fixed every instance found to differ from the engine and refreshed (events or not: a variable's value
   * mended is no event), and every orphan whose refresh changed the mirror. While the first import runs, every
   * instance it has not reached yet would count as drift: the reconcile waits for it instead.
   */
  private async reconcile(): Promise<StepOutcome> {
    await this.records.pruneRuns(RUN_HISTORY_DAYS);
    const orphans = await this.refresher.refreshDefinitionsForOrphans();
    let { changed: fixed } = await this.refresher.refreshIsolated(orphans);
    if (await this.instanceImport.pending()) {
      this.logger.log('Reconcile compared nothing: the first import is still running');
      return { instances: 0, changes: fixed };
    }
    let checked = 0;
    // Page by page: each page's drift is fixed before the next is read, and polls go on meanwhile.
    for await (const page of this.reconciler.drift()) {
      checked += page.checked;
      if (page.suspects.size > 0) fixed += (await this.refresher.refreshIsolated(page.suspects)).refreshed;
    }
    if (fixed > 0) this.logger.log(`Reconcile fixed drift in ${fixed} instance(s); ${checked} open instances and tasks compared`);
    return { instances: checked, changes: fixed };
  }
}

/** Runs steps one after another; a failed step does not stop the next. */
class StepQueue {
  private tail: Promise<unknown> = Promise.resolve();

  then<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  async idle(): Promise<void> {
    await this.tail;
  }
}
