import { Injectable, Logger } from '@nestjs/common';
import type { EventActor } from '../events/event-types.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { chunked, mapConcurrently } from './concurrency.js';
import { DefinitionSync } from './definition-sync.js';
import { FailureTriage } from './failure-triage.js';
import { BatchingQueue, type ItemOutcome } from './batching-queue.js';
import { InstanceSnapshotReader, readAheadSince, type ReadAhead } from './instance-snapshot-reader.js';
import { MirrorApplier, type RefreshOptions } from './mirror-applier.js';
import { MirroredOpenInstances } from './mirrored-open-instances.js';
import { ParkedInstances } from './parked-instances.js';
import { PendingActors } from './pending-actors.js';

// Instances per batch refresh (one engine read, one transaction), and batches refreshed at once: a batch's engine
// reads are a few rounds of short requests, so several batches keep the engine busy while others are written.
// Measured on an import: 2 in flight ~850/s, 4 ~1,200/s, 6 no better.
const REFRESH_BATCH = 100;
const BATCHES_IN_FLIGHT = 4;
// A failed batch is retried one instance at a time, this many at once.
const SINGLE_REFRESH_CONCURRENCY = 8;
// Gateway writes' own refreshes: those that arrive while others run share the next batch (one clock read, one engine
// read, one transaction), so a burst of starts costs a few batch refreshes instead of one refresh each.
const REAL_TIME_BATCHES_RUNNING = 2;
const REAL_TIME_BATCH = 50;

interface RealTimeRefresh {
  instanceId: string;
  actor: EventActor | null;
}

/** What a sync run did with a set of instances; a failure of one instance never fails the set. */
export interface RefreshOutcome {
  changes: number;
  /** Instances whose refresh changed the mirror. */
  changed: number;
}

/**
 * The door to the mirror for everyone who changed something and wants it mirrored now: capabilities after their
 * engine calls, and the sync runs for what they found. Every refresh ends in MirrorApplier.
 */
@Injectable()
export class InstanceRefresher {
  private readonly logger = new Logger(InstanceRefresher.name);
  private readonly pendingActors = new PendingActors();
  private readonly realTime = new BatchingQueue<RealTimeRefresh, number>((items) => this.refreshTogether(items), REAL_TIME_BATCHES_RUNNING, REAL_TIME_BATCH);

  constructor(
    private readonly mirroredInstances: MirroredOpenInstances,
    private readonly reader: InstanceSnapshotReader,
    private readonly applier: MirrorApplier,
    private readonly definitions: DefinitionSync,
    private readonly relay: OutboxRelay,
    private readonly parked: ParkedInstances,
    private readonly triage: FailureTriage,
  ) {}

  /**
   * Real-time path: called after a gateway write, before it answers, so the caller reads its own write. With an
   * actor (eventActorOf the caller), the events this refresh writes name who made the change.
   */
  async refreshInstance(instanceId: string, options: RefreshOptions = {}): Promise<number> {
    const actor = options.actor ?? this.pendingActors.actorOf(instanceId) ?? null;
    const changes = options.domainEvents?.length
      ? await this.applier.refresh(instanceId, () => this.reader.read(instanceId), { ...options, actor })
      : await this.realTime.submit({ instanceId, actor });
    if (options.actor) this.pendingActors.settled(instanceId);
    if (changes > 0) this.relay.kick();
    return changes;
  }

  /** Deletes a worker's held events of an outcome that was dropped, keeping the instance's sequence without gaps. */
  discardHeldEvents(instanceId: string, ids: string[]): Promise<void> {
    return this.applier.discardHeldEvents(instanceId, ids);
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

  /** Re-reads all definitions; returns the open instances of definitions the engine no longer has. */
  async refreshDefinitionsForOrphans(): Promise<string[]> {
    const removed = await this.definitions.refreshAll();
    if (removed.length === 0) return [];
    const orphans = await this.mirroredInstances.ofDefinitions({ ids: removed, keys: [] });
    return orphans.map((orphan) => orphan.id);
  }

  /**
   * The sync runs' way to refresh many instances, in batches. An instance that fails for a reason of its own is
   * parked and the rest go on: a batch that fails is refreshed again one instance at a time, so only that one is
   * parked. An outage (engine or database gone) stops the run and fails it, so the run keeps its cursor. What the
   * caller read ahead is used, not read again.
   */
  async refreshIsolated(instanceIds: Iterable<string>, ahead: ReadAhead = {}): Promise<RefreshOutcome> {
    const outcome: RefreshOutcome = { changes: 0, changed: 0 };
    await mapConcurrently(chunked([...instanceIds], REFRESH_BATCH), BATCHES_IN_FLIGHT, async (batch) => {
      let results: Map<string, number>;
      try {
        results = await this.refreshBatch(batch, undefined, ahead);
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

  /**
   * One engine read and one transaction for the whole batch; every event names the actor, or who is pending. With
   * a read ahead, the read counts as made when that was read, so it never overwrites a newer refresh.
   */
  private async refreshBatch(instanceIds: string[], actor?: EventActor | null, ahead: ReadAhead = {}): Promise<Map<string, number>> {
    const outcome = await this.applier.refreshMany(instanceIds, (ids) => this.reader.readMany(ids, ahead), {
      actorOf: (id) => actor ?? this.pendingActors.actorOf(id) ?? null,
      causeOf: () => null,
      readAsOf: readAheadSince(ahead),
    });
    if (actor) for (const id of instanceIds) this.pendingActors.settled(id);
    if ([...outcome.values()].some((changes) => changes > 0)) this.relay.kick();
    return outcome;
  }

  /**
   * Real-time refreshes that arrived together, as one batch. If the batch fails and it is no outage, each instance is
   * refreshed alone (once, however many callers asked for it), so one instance's own failure fails only its callers.
   */
  private async refreshTogether(items: RealTimeRefresh[]): Promise<ItemOutcome<number>[]> {
    const actors = new Map<string, EventActor | null>();
    for (const { instanceId, actor } of items) if (!actors.get(instanceId)) actors.set(instanceId, actor);
    const ids = [...actors.keys()];
    let outcomes: Map<string, ItemOutcome<number>>;
    try {
      const changes = await this.applier.refreshMany(ids, (batch) => this.reader.readMany(batch), {
        actorOf: (id) => actors.get(id) ?? null,
        causeOf: () => null,
      });
      outcomes = new Map(ids.map((id) => [id, { ok: true, value: changes.get(id) ?? 0 }]));
    } catch (error) {
      if (ids.length === 1 || (await this.triage.isOutage(error))) return items.map(() => ({ ok: false, error }));
      const alone = await mapConcurrently(ids, SINGLE_REFRESH_CONCURRENCY, (id) =>
        this.applier
          .refresh(id, () => this.reader.read(id), { actor: actors.get(id) ?? null })
          .then(
            (value): ItemOutcome<number> => ({ ok: true, value }),
            (failure: unknown): ItemOutcome<number> => ({ ok: false, error: failure }),
          ),
      );
      outcomes = new Map(ids.map((id, index) => [id, alone[index]]));
    }
    return items.map(({ instanceId }) => outcomes.get(instanceId)!);
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
}
