import { Injectable, Logger } from '@nestjs/common';
import type { EngineProcessInstance, HistoricInstanceFilter } from '../camunda/camunda.models.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { CandidateIndexBuilder, type KnownCandidates } from './candidate-index.js';
import { DatabaseClock } from './database-clock.js';
import { InstanceRefresher } from './instance-refresher.js';
import { KEYSET_START, nextKeysetPage, type Keyset } from './keyset-pages.js';
import { MirrorStore } from './mirror-store.js';
import { SyncRecords } from './sync-records.js';

export const IMPORT_CURSOR = 'import';
// Instances per engine page and per saved step: a restart repeats at most this many.
const PAGE = 1_000;
const LOG_EVERY_MS = 10_000;

type ImportPhase = 'open' | 'finished' | 'done';

/** Kept in the import cursor's `progress`: a keyset over (start time, id), the phase and the counts. */
interface ImportProgress {
  phase: ImportPhase;
  /** When the import began (the first poll's start): instances started later are the poll's to see. */
  startedAt: string;
  /** SYNC_IMPORT_SINCE when it began: the finished phase imports instances that finished since then. */
  finishedSince: string | null;
  /** The last instance imported, by start time and id. */
  keyset: Keyset;
  done: number;
  /** Estimated at the start (the set moves while it is imported). */
  total: number;
  /** Time spent importing, over all runs: the rate excludes the time the gateway was down. */
  busyMs: number;
  finishedAt: string | null;
}

export interface ImportStatus {
  phase: ImportPhase;
  /** Why the last slice failed, until one succeeds. */
  lastError: string | null;
  startedAt: string;
  finishedAt: string | null;
  done: number;
  estimatedTotal: number;
  instancesPerSecond: number | null;
  secondsLeft: number | null;
}

export interface ImportSlice {
  instances: number;
  changes: number;
  /** Whether there is more to import. */
  pending: boolean;
}

/**
 * The first sync of an empty mirror: every open instance (and, with SYNC_IMPORT_SINCE, those finished since then)
 * read page by page in start-time order and refreshed in batches. Its own cursor saves the keyset after every
 * page, so a restart continues where it stopped, and it runs in time slices between polls, so changes elsewhere
 * keep reaching the mirror while it runs. A page refreshed twice (after a kill) produces no second events: the
 * refresh diffs against what the mirror already holds.
 */
@Injectable()
export class InstanceImport {
  private readonly logger = new Logger(InstanceImport.name);
  private lastLogAt = 0;
  private finished = false;
  /** Built once per process for the import's life; null when the engine's log cannot stand in for per-task reads. */
  private candidates: Promise<KnownCandidates | null> | undefined;

  constructor(
    private readonly records: SyncRecords,
    private readonly history: HistoryClient,
    private readonly refresher: InstanceRefresher,
    private readonly candidateIndex: CandidateIndexBuilder,
    private readonly config: GatewayConfig,
    private readonly clock: DatabaseClock,
    private readonly store: MirrorStore,
  ) {}

  /** Starts the import of a fresh mirror, as of `at` (the first poll's start); a started import is left as it is. */
  async begin(at: Date): Promise<void> {
    if (await this.records.cursor(IMPORT_CURSOR)) return;
    const since = this.config.SYNC_IMPORT_SINCE ? new Date(this.config.SYNC_IMPORT_SINCE) : null;
    const [open, finished] = await Promise.all([
      this.history.countHistoricProcessInstances({ unfinished: true, startedBefore: at }),
      since ? this.history.countHistoricProcessInstances({ finished: true, finishedAfter: since, startedBefore: at }) : 0,
    ]);
    const progress: ImportProgress = {
      phase: 'open',
      startedAt: at.toISOString(),
      finishedSince: since?.toISOString() ?? null,
      keyset: KEYSET_START,
      done: 0,
      total: open + finished,
      busyMs: 0,
      finishedAt: null,
    };
    const cursor = await this.records.cursorOrNew(IMPORT_CURSOR);
    await this.records.saveCursor(Object.assign(cursor, { lastRunAt: new Date(), progress: progress as unknown as Record<string, unknown> }));
    this.logger.log(
      `Importing the engine's instances: about ${progress.total} (${open} open${since ? `, ${finished} finished since ${since.toISOString()}` : ''})`,
    );
  }

  async pending(): Promise<boolean> {
    return (await this.unfinished()) !== null;
  }

  /**
   * Imports page after page until `budgetMs` is spent or nothing is left; the progress is saved after each page.
   * The next page is read while the current one is refreshed: its keyset is known as soon as the current is read.
   */
  async continue(budgetMs: number): Promise<ImportSlice> {
    const slice: ImportSlice = { instances: 0, changes: 0, pending: false };
    const sliceStarted = Date.now();
    let progress = await this.unfinished();
    const candidates = (progress && (await this.knownCandidates())) ?? undefined;
    const withinBudget = (next: ImportProgress) => next.phase !== 'done' && Date.now() - sliceStarted < budgetMs;
    let nextPage = progress && withinBudget(progress) ? this.nextPage(progress) : null;
    let measuredFrom = Date.now();
    while (progress && nextPage) {
      const page = await nextPage;
      nextPage = withinBudget(page.progress) ? this.nextPage(page.progress) : null;
      // Refused by the slice's own end; a failure of the page read ahead is the next slice's to meet.
      nextPage?.catch(() => undefined);
      const outcome = await this.refresher.refreshIsolated(
        page.instances.map((instance) => instance.id),
        { candidates, instances: { rows: page.instances, readAt: page.readAt } },
      );
      slice.instances += page.instances.length;
      slice.changes += outcome.changes;
      progress = {
        ...page.progress,
        done: progress.done + page.instances.length,
        busyMs: progress.busyMs + (Date.now() - measuredFrom),
        // Once its last page is mirrored, not read.
        finishedAt: page.progress.phase === 'done' ? new Date().toISOString() : null,
      };
      measuredFrom = Date.now();
      await this.save(progress);
      this.report(progress);
    }
    slice.pending = progress !== null && progress.phase !== 'done';
    if (!slice.pending) this.candidates = undefined;
    if (progress?.phase === 'done' && slice.instances > 0) {
      await this.store.analyze().catch((error: Error) => this.logger.warn(`Could not analyze the mirror tables after the import: ${error.message}`));
    }
    return slice;
  }

  private knownCandidates(): Promise<KnownCandidates | null> {
    this.candidates ??= (async () => {
      // Taken before the log is read: the index is as old as its first page.
      const now = await this.clock.now();
      try {
        return await this.candidateIndex.build(now);
      } catch (error) {
        // The index only saves requests: without it the import reads candidates task by task.
        this.logger.warn(`Import goes on without a candidate index: reading the identity-link log failed (${(error as Error).message})`);
        return null;
      }
    })();
    return this.candidates;
  }

  /** Keeps a failed slice's error on the import cursor, so the poll that ran it can go on. */
  async failed(error: Error): Promise<void> {
    this.logger.warn(`Import slice failed: ${error.message}; the next poll tries again`);
    await this.records.updateCursor(IMPORT_CURSOR, { lastError: error.message, lastRunAt: new Date() });
  }

  async status(): Promise<ImportStatus | null> {
    const cursor = await this.records.cursor(IMPORT_CURSOR);
    const progress = (cursor?.progress as ImportProgress | undefined) ?? null;
    if (!progress) return null;
    const rate = rateOf(progress);
    const left = Math.max(0, progress.total - progress.done);
    return {
      phase: progress.phase,
      lastError: cursor!.lastError,
      startedAt: progress.startedAt,
      finishedAt: progress.finishedAt,
      done: progress.done,
      estimatedTotal: progress.total,
      instancesPerSecond: rate === null ? null : Math.round(rate),
      secondsLeft: progress.phase === 'done' ? 0 : rate ? Math.ceil(left / rate) : null,
    };
  }

  /** The next page past the keyset, when its read began, and the progress after it. */
  private async nextPage(progress: ImportProgress): Promise<{ instances: EngineProcessInstance[]; readAt: Date; progress: ImportProgress }> {
    const readAt = await this.clock.now();
    const page = await nextKeysetPage(
      progress.keyset,
      PAGE,
      (from, skip) =>
        this.history.listHistoricProcessInstancesByStart(
          { ...this.phaseFilter(progress), startedAfter: from ?? undefined },
          { firstResult: skip, maxResults: PAGE },
        ),
      (instance) => ({ at: instance.startedAt, id: instance.id }),
    );
    const moved = { ...progress, keyset: page.keyset };
    return { instances: page.rows, readAt, progress: page.last ? this.nextPhase(moved) : moved };
  }

  private phaseFilter(progress: ImportProgress): HistoricInstanceFilter {
    const startedBefore = new Date(progress.startedAt);
    if (progress.phase === 'open') return { unfinished: true, startedBefore };
    return { finished: true, finishedAfter: new Date(progress.finishedSince!), startedBefore };
  }

  private nextPhase(progress: ImportProgress): ImportProgress {
    const reset = { ...progress, keyset: KEYSET_START };
    if (progress.phase === 'open' && progress.finishedSince) return { ...reset, phase: 'finished' };
    return { ...reset, phase: 'done' };
  }

  /**
   * The import's progress while it has work left, else null. A finished import never starts again, so once this
   * process has seen it done, the polls stop asking the database.
   */
  private async unfinished(): Promise<ImportProgress | null> {
    if (this.finished) return null;
    const cursor = await this.records.cursor(IMPORT_CURSOR);
    const progress = (cursor?.progress as ImportProgress | undefined) ?? null;
    this.finished = progress?.phase === 'done';
    return this.finished ? null : progress;
  }

  private async save(progress: ImportProgress): Promise<void> {
    await this.records.updateCursor(IMPORT_CURSOR, {
      progress,
      position: progress.keyset.at ? new Date(progress.keyset.at) : null,
      lastRunAt: new Date(),
      lastSuccessAt: new Date(),
      lastRunInstances: progress.done,
      lastError: null,
    });
  }

  private report(progress: ImportProgress): void {
    const now = Date.now();
    if (progress.phase !== 'done' && now - this.lastLogAt < LOG_EVERY_MS) return;
    this.lastLogAt = now;
    const rate = rateOf(progress) ?? 0;
    if (progress.phase === 'done') {
      this.logger.log(`Import finished: ${progress.done} instances in ${Math.round(progress.busyMs / 1000)} s (${Math.round(rate)}/s)`);
      return;
    }
    const left = Math.max(0, progress.total - progress.done);
    this.logger.log(
      `Importing: ${progress.done} of about ${progress.total} instances (${Math.floor((100 * progress.done) / Math.max(1, progress.total))}%), ${Math.round(rate)}/s, about ${rate ? Math.ceil(left / rate) : '?'} s left`,
    );
  }
}

/** Instances per second of import work, over all runs; null before any. */
function rateOf(progress: ImportProgress): number | null {
  return progress.busyMs > 0 ? progress.done / (progress.busyMs / 1000) : null;
}
