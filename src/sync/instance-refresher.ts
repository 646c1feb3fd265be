import { Injectable, Logger } from '@nestjs/common';
import { EventCauses } from '../events/event-causes.js';
import type { EventActor } from '../events/event-types.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { RequestContext } from '../http/request-context.js';
import { chunked, mapConcurrently } from './concurrency.js';
import { DefinitionSync } from './definition-sync.js';
import { FailureTriage } from './failure-triage.js';
import { BatchingQueue, type ItemOutcome } from './batching-queue.js';
import { InstanceSnapshotReader, readAheadSince, type ReadAhead } from './instance-snapshot-reader.js';
import { MirrorApplier, type DomainEvent, type RefreshOptions } from './mirror-applier.js';
import { MirroredChanges } from './mirrored-changes.js';
import { MirroredOpenInstances } from './mirrored-open-instances.js';
import { ParkedInstances } from './parked-instances.js';
import { PendingChanges, type ChangeOrigin } from './pending-changes.js';

// Instances per batch refresh (one engine read, one transaction), and batches refreshed at once: a batch's engine
// reads are a few rounds of short requests, so several batches keep the engine busy while others are written.
// Measured on an import: 2 in flight ~850/s, 4 ~1,200/s, 6 no better.
const REFRESH_BATCH = 100;
const BATCHES_IN_FLIGHT = 4;
// A failed batch is retried one instance at a time, this many at once.
const SINGLE_REFRESH_CONCURRENCY = 8;
// Gateway writes' own refreshes and workers' event writes: those that arrive while others run share the next batch (one
// clock read, one engine read, one transaction), so a burst of starts or of completions costs a few batch refreshes
// instead of one refresh each.
const REAL_TIME_BATCHES_RUNNING = 2;
const REAL_TIME_BATCH = 50;

/** One caller's refresh, with who asked and in which request: a batch serves several callers, each keeps their own. */
interface RealTimeRefresh extends ChangeOrigin {
  instanceId: string;
  domainEvents: DomainEvent[];
}

const NO_ORIGIN: ChangeOrigin = { actor: null, cause: null };

/** What one refresh writes: an instance for one or more callers, or one worker's events with their instance. */
interface RefreshUnit {
  instanceId: string;
  origin: ChangeOrigin;
  domainEvents: DomainEvent[];
}

/**
 * Callers of one instance without events share a unit, which names the first of them that named an actor, with that
 * caller's own request; each caller with events has a unit of their own.
 */
function refreshUnits(items: RealTimeRefresh[]): { units: RefreshUnit[]; unitOf: Map<RealTimeRefresh, RefreshUnit> } {
  const units: RefreshUnit[] = [];
  const unitOf = new Map<RealTimeRefresh, RefreshUnit>();
  const shared = new Map<string, RefreshUnit>();
  for (const item of items) {
    const { instanceId, actor, cause, domainEvents } = item;
    let unit = domainEvents.length === 0 ? shared.get(instanceId) : undefined;
    if (!unit) {
      unit = { instanceId, origin: { actor, cause }, domainEvents };
      units.push(unit);
      if (domainEvents.length === 0) shared.set(instanceId, unit);
    } else if (!unit.origin.actor && actor) unit.origin = { actor, cause };
    unitOf.set(item, unit);
  }
  return { units, unitOf };
}

/** What a sync run did with a set of instances; a failure of one instance never fails the set. */
export interface RefreshOutcome {
  changes: number;
  /** Instances whose refresh changed the mirror. */
  changed: number;
  /** Instances refreshed at all: one whose refresh failed is parked instead. */
  refreshed: number;
}

/**
 * The door to the mirror for everyone who changed something and wants it mirrored now: capabilities after their
 * engine calls, and the sync runs for what they found. Every refresh ends in MirrorApplier.
 */
@Injectable()
export class InstanceRefresher {
  private readonly logger = new Logger(InstanceRefresher.name);
  private readonly pending = new PendingChanges();
  // A batch runs in the context of the caller that happened to start it, and later ones in that one's: a batch serves
  // several requests, so it runs as part of none, and each instance carries its own caller's cause.
  private readonly realTime = new BatchingQueue<RealTimeRefresh, number>(
    (items) => this.requests.outside(() => this.refreshTogether(items)),
    REAL_TIME_BATCHES_RUNNING,
    REAL_TIME_BATCH,
  );

  constructor(
    private readonly mirroredInstances: MirroredOpenInstances,
    private readonly mirroredChanges: MirroredChanges,
    private readonly reader: InstanceSnapshotReader,
    private readonly applier: MirrorApplier,
    private readonly definitions: DefinitionSync,
    private readonly relay: OutboxRelay,
    private readonly parked: ParkedInstances,
    private readonly triage: FailureTriage,
    private readonly causes: EventCauses,
    private readonly requests: RequestContext,
  ) {}

  /**
   * Real-time path: called after a gateway write, before it answers, so the caller reads its own write. With an
   * actor (eventActorOf the caller), the events this refresh writes name who made the change and carry the cause of
   * the request it runs for (its id, its trace context). Otherwise the events name whoever announced a change in
   * flight (expectChangeBy) with their request, or else, for domain events (an external-task handler's), the cause of
   * the code writing them (no request; the trace context if one is active), or nobody.
   */
  async refreshInstance(instanceId: string, options: RefreshOptions = {}): Promise<number> {
    const origin = this.originFor(instanceId, options);
    const done = this.mirroredChanges.refreshing(instanceId);
    let changes: number;
    try {
      changes = await this.realTime.submit({ instanceId, domainEvents: options.domainEvents ?? [], ...origin });
    } finally {
      done();
    }
    if (options.actor) this.pending.settled(instanceId);
    if (changes > 0) this.relay.kick();
    return changes;
  }

  /** Deletes a worker's held events of an outcome that was dropped, keeping the instance's sequence without gaps. */
  discardHeldEvents(instanceId: string, ids: string[], heldBy: string): Promise<void> {
    return this.applier.discardHeldEvents(instanceId, ids, heldBy);
  }

  /**
   * Says, just before a gateway command reaches the engine, who is changing the instance and in which request: a
   * poll refreshing it before the command's own refresh does still names them in the events.
   */
  expectChangeBy(instanceId: string, actor: EventActor): void {
    this.pending.expect(instanceId, { actor, cause: this.causes.current() });
  }

  /**
   * Refreshes several instances in batches; returns how many events that produced. The first failure fails the call.
   * With an actor, as refreshInstance: the events carry the cause of the request this runs for.
   */
  async refreshInstances(instanceIds: string[], options: Pick<RefreshOptions, 'actor'> = {}): Promise<number> {
    const origin = options.actor ? { actor: options.actor, cause: this.causes.current() } : undefined;
    let total = 0;
    await mapConcurrently(chunked(instanceIds, REFRESH_BATCH), BATCHES_IN_FLIGHT, async (batch) => {
      for (const changes of (await this.refreshBatch(batch, origin)).values()) total += changes;
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
    const outcome: RefreshOutcome = { changes: 0, changed: 0, refreshed: 0 };
    await mapConcurrently(chunked([...instanceIds], REFRESH_BATCH), BATCHES_IN_FLIGHT, async (batch) => {
      let results: Map<string, number>;
      try {
        results = await this.refreshBatch(batch, undefined, ahead);
      } catch (error) {
        if (await this.triage.isOutage(error)) throw error;
        results = await this.refreshEachIsolated(batch);
      }
      outcome.refreshed += results.size;
      for (const changes of results.values()) {
        outcome.changes += changes;
        if (changes > 0) outcome.changed += 1;
      }
    });
    return outcome;
  }

  /**
   * One engine read and one transaction for the whole batch; every event names the command's origin, or who is
   * pending on its instance. With a read ahead, the read counts as made when that was read, so it never overwrites
   * a newer refresh.
   */
  private async refreshBatch(instanceIds: string[], origin?: ChangeOrigin, ahead: ReadAhead = {}): Promise<Map<string, number>> {
    const originOf = (id: string) => origin ?? this.pending.originOf(id) ?? NO_ORIGIN;
    const outcome = await this.applier.refreshMany(instanceIds, (ids) => this.reader.readMany(ids, ahead), {
      actorOf: (id) => originOf(id).actor,
      causeOf: (id) => originOf(id).cause,
      readAsOf: readAheadSince(ahead),
    });
    if (origin) for (const id of instanceIds) this.pending.settled(id);
    if ([...outcome.values()].some((changes) => changes > 0)) this.relay.kick();
    return outcome;
  }

  /**
   * Real-time refreshes that arrived together, as one batch. If the batch fails and it is no outage, each instance is
   * refreshed alone (once, however many callers asked for it), so one instance's own failure fails only its callers.
   * A worker's events go into the batch only when nothing else asked for their instance: merged with another
   * caller's, events that cannot be stored would fail that caller too, and they would name that caller as their actor.
   */
  private async refreshTogether(items: RealTimeRefresh[]): Promise<ItemOutcome<number>[]> {
    const { units, unitOf } = refreshUnits(items);
    const perInstance = new Map<string, number>();
    for (const unit of units) perInstance.set(unit.instanceId, (perInstance.get(unit.instanceId) ?? 0) + 1);
    const batched = new Map(units.filter((unit) => perInstance.get(unit.instanceId) === 1).map((unit) => [unit.instanceId, unit]));
    const alone = units.filter((unit) => perInstance.get(unit.instanceId)! > 1);
    const outcomes = new Map<RefreshUnit, ItemOutcome<number>>();
    if (batched.size > 0) {
      const unitFor = (id: string) => batched.get(id)!;
      try {
        const { applied, stale } = await this.applier.refreshManyWithEvents(
          [...batched.keys()],
          (ids) => this.reader.readMany(ids),
          { actorOf: (id) => unitFor(id).origin.actor, causeOf: (id) => unitFor(id).origin.cause },
          (id) => unitFor(id).domainEvents,
        );
        for (const [id, changes] of applied) outcomes.set(unitFor(id), { ok: true, value: changes });
        alone.push(...stale.map(unitFor));
      } catch (error) {
        if (batched.size === 1 || (await this.triage.isOutage(error))) for (const unit of batched.values()) outcomes.set(unit, { ok: false, error });
        else alone.push(...batched.values());
      }
    }
    const aloneOutcomes = await mapConcurrently(alone, SINGLE_REFRESH_CONCURRENCY, (unit) =>
      this.applier
        .refresh(unit.instanceId, () => this.reader.read(unit.instanceId), { ...unit.origin, domainEvents: unit.domainEvents })
        .then(
          (value): ItemOutcome<number> => ({ ok: true, value }),
          (failure: unknown): ItemOutcome<number> => ({ ok: false, error: failure }),
        ),
    );
    alone.forEach((unit, index) => outcomes.set(unit, aloneOutcomes[index]));
    return items.map((item) => outcomes.get(unitOf.get(item)!)!);
  }

  /** Who the events of this refresh name: the command's caller and request, a domain event's writer, or who is pending. */
  private originFor(instanceId: string, options: RefreshOptions): ChangeOrigin {
    if (options.actor) return { actor: options.actor, cause: this.causes.current() };
    // A command in flight on the instance names its caller and request together, as for any refresh.
    const pending = this.pending.originOf(instanceId);
    if (pending) return pending;
    return options.domainEvents?.length ? { actor: null, cause: this.causes.current() } : NO_ORIGIN;
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
