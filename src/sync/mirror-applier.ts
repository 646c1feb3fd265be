import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { EventType, type EventActor, type EventCause, type InstanceEvent, type PublishedEventType } from '../events/event-types.js';
import { OutboxWriter } from '../events/outbox-writer.js';
import { IncidentRecord, IncidentState } from '../mirror/incident.entity.js';
import { InstanceState, ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { TaskRecord, TaskState } from '../mirror/task.entity.js';
import { VariableRecord } from '../mirror/variable.entity.js';
import type { InstanceSnapshot } from './instance-snapshot.js';
import { isOpenInstance, isOpenTask } from '../mirror/open-states.js';
import { DatabaseClock } from './database-clock.js';
import { MirroredChanges } from './mirrored-changes.js';
import { ParkedInstances } from './parked-instances.js';
import { isMarkedRemoved, REMOVED_FROM_ENGINE } from './removal-mark.js';
import { diffInstance, incidentEventData, instanceEventData, taskEventData, type ChangeEvent } from './mirror-diff.js';
import { MirrorStore, type InstanceRows, type MirroredRows } from './mirror-store.js';

/** An event a worker or capability adds to an instance's history, published in order with the mirror's own. */
export interface DomainEvent {
  type: PublishedEventType;
  data: Record<string, unknown>;
  /** A stable id: an event already in the outbox under it is not written again. */
  id?: string;
  /** Held from publication this long unless released (HeldEvents): a worker's event written before its completion. */
  holdMs?: number;
  /** The attempt at the external task that writes it: one already written under the id is held by it too, not written again. */
  heldBy?: string;
}

export interface RefreshOptions {
  domainEvents?: DomainEvent[];
  /** The caller whose command this refresh follows; every event it writes names them. */
  actor?: EventActor | null;
  /** The request of that command; every event it writes carries its id and trace context. */
  cause?: EventCause | null;
}

/** What one batch refresh asks of each instance it refreshes. */
export interface BatchRefreshOptions {
  /** Who made the change being refreshed, per instance; null when nobody known (an operator, a job). */
  actorOf: (instanceId: string) => EventActor | null;
  /** The request behind the change, per instance (a batch serves several requests); null when none is known. */
  causeOf: (instanceId: string) => EventCause | null;
  /**
   * When part of what the read returns was read, if before the read itself (the import's candidate index): an
   * instance refreshed since then is left as it is, its refresh knows better.
   */
  readAsOf?: Date;
}

// Reads of one instance before a refresh applies whatever it read last, however busy the instance is.
const MAX_READS = 3;
const STALE = Symbol('stale snapshot');

/** One instance's part of an apply: its rows and its events. */
interface InstanceWrite {
  rows: InstanceRows;
  events: InstanceEvent[];
}

/**
 * The one step every sync path ends in: read the engine's current state, then under per-instance locks diff it
 * against the mirror and write the mirror rows and their events in one transaction, for one instance or a batch.
 */
@Injectable()
export class MirrorApplier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly parked: ParkedInstances,
    private readonly store: MirrorStore,
    private readonly clock: DatabaseClock,
    private readonly mirroredChanges: MirroredChanges,
  ) {}

  /**
   * Returns how many events the refresh produced (0 when the mirror already matched the engine).
   * The engine is read first, outside any transaction, so a slow engine holds no database connection; the apply
   * is a short transaction under a per-instance lock. A snapshot whose read began before the one already applied
   * is older and never applied, so the mirror never moves backwards: it is dropped (the applied one already holds
   * everything committed before this refresh began, and a later change is in the next poll's window), or, when it
   * carries domain events that must be written, read again.
   */
  async refresh(instanceId: string, readSnapshot: () => Promise<InstanceSnapshot | null>, options: RefreshOptions = {}): Promise<number> {
    const domainEvents = options.domainEvents ?? [];
    const actor = options.actor ?? null;
    const cause = options.cause ?? null;
    for (let read = 1; ; read += 1) {
      const readStartedAt = await this.clock.now();
      const snapshot = await readSnapshot();
      const outcome = await this.applyAll(new Map([[instanceId, snapshot]]), readStartedAt, {
        domainEventsOf: () => domainEvents,
        actorOf: () => actor,
        causeOf: () => cause,
        staleOutcome: () => (read < MAX_READS ? (domainEvents.length > 0 ? STALE : 0) : null),
      });
      const changes = outcome.get(instanceId)!;
      if (changes !== STALE) return changes;
    }
  }

  /**
   * Deletes held events nobody will publish (their external task turned out not to be the worker's) and closes the
   * gap they leave in the instance's sequence, under the instance's lock. An event that a redelivery of the task
   * holds too stays, held by that one.
   */
  async discardHeldEvents(instanceId: string, ids: string[], heldBy: string): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await this.store.lock(manager, [instanceId]);
      const removed = await this.outbox.discardHeld(manager, instanceId, ids, heldBy);
      if (removed > 0) await this.store.unnumberEvents(manager, instanceId, removed);
    });
  }

  /**
   * Refreshes many instances with one engine read and one transaction: the batch path of import, poll and
   * reconcile. Returns the events produced per instance. A snapshot older than the one applied is dropped (0).
   */
  async refreshMany(
    instanceIds: string[],
    readSnapshots: (ids: string[]) => Promise<Map<string, InstanceSnapshot | null>>,
    options: BatchRefreshOptions,
  ): Promise<Map<string, number>> {
    return (await this.refreshBatch(instanceIds, readSnapshots, options, () => [])).applied;
  }

  /**
   * As refreshMany, writing each instance's domain events (a worker's) with its rows. An instance with events whose
   * snapshot turns out older than the one applied cannot be dropped: it is left out (`stale`), to be refreshed alone.
   */
  refreshManyWithEvents(
    instanceIds: string[],
    readSnapshots: (ids: string[]) => Promise<Map<string, InstanceSnapshot | null>>,
    options: BatchRefreshOptions,
    domainEventsOf: (instanceId: string) => DomainEvent[],
  ): Promise<{ applied: Map<string, number>; stale: string[] }> {
    return this.refreshBatch(instanceIds, readSnapshots, options, domainEventsOf);
  }

  private async refreshBatch(
    instanceIds: string[],
    readSnapshots: (ids: string[]) => Promise<Map<string, InstanceSnapshot | null>>,
    options: BatchRefreshOptions,
    domainEventsOf: (instanceId: string) => DomainEvent[],
  ): Promise<{ applied: Map<string, number>; stale: string[] }> {
    const applied = new Map<string, number>();
    const stale: string[] = [];
    if (instanceIds.length === 0) return { applied, stale };
    const readStartedAt = await this.clock.now();
    const snapshots = await readSnapshots(instanceIds);
    const staleBefore = options.readAsOf && options.readAsOf < readStartedAt ? options.readAsOf : readStartedAt;
    const outcome = await this.applyAll(snapshots, readStartedAt, {
      domainEventsOf,
      actorOf: options.actorOf,
      causeOf: options.causeOf,
      staleOutcome: (id) => (domainEventsOf(id).length > 0 ? STALE : 0),
      staleBefore,
    });
    for (const [id, value] of outcome) {
      if (value === STALE) stale.push(id);
      else applied.set(id, value);
    }
    return { applied, stale };
  }

  /** `staleOutcome`: what an instance whose mirror holds a newer read gets instead of an apply; null applies it anyway. */
  private async applyAll(
    snapshots: Map<string, InstanceSnapshot | null>,
    readStartedAt: Date,
    plan: {
      domainEventsOf: (id: string) => DomainEvent[];
      actorOf: (id: string) => EventActor | null;
      causeOf: (id: string) => EventCause | null;
      staleOutcome: (id: string) => number | typeof STALE | null;
      /** A mirror row read after this is newer than the snapshot (default: when the read began). */
      staleBefore?: Date;
    },
  ): Promise<Map<string, number | typeof STALE>> {
    const ids = [...snapshots.keys()];
    const committed = await this.dataSource.transaction(async (manager) => {
      await this.store.lock(manager, ids);
      const mirrored = await this.store.load(manager, ids);
      const written = await this.outbox.writtenIds(
        manager,
        ids.flatMap((id) => plan.domainEventsOf(id).flatMap((event) => event.id ?? [])),
      );
      // A redelivered task's events, written by an earlier attempt: this attempt holds them too.
      for (const id of ids) {
        const again = plan
          .domainEventsOf(id)
          .flatMap(({ id: eventId, heldBy, holdMs }) =>
            eventId !== undefined && written.has(eventId) && heldBy !== undefined && holdMs !== undefined ? [{ id: eventId, heldBy, holdMs }] : [],
          );
        await this.outbox.holdAlso(manager, id, again);
      }
      const outcome = new Map<string, number | typeof STALE>();
      const writes: InstanceWrite[] = [];
      const applied: string[] = [];
      for (const id of ids) {
        const before = mirrored.get(id)!;
        const staleOutcome = plan.staleOutcome(id);
        if (staleOutcome !== null && before.instance?.snapshotReadAt && before.instance.snapshotReadAt > (plan.staleBefore ?? readStartedAt)) {
          outcome.set(id, staleOutcome);
          continue;
        }
        applied.push(id);
        const snapshot = snapshots.get(id)!;
        const write = snapshot
          ? this.planApply(
              manager,
              snapshot,
              before,
              plan.domainEventsOf(id).filter((event) => !event.id || !written.has(event.id)),
              readStartedAt,
              plan.actorOf(id),
              plan.causeOf(id),
            )
          : this.planRemoval(before, readStartedAt, plan.actorOf(id), plan.causeOf(id));
        outcome.set(id, write?.events.length ?? 0);
        if (write) writes.push(write);
      }
      await this.parked.release(manager, applied);
      await this.store.write(
        manager,
        writes.map((write) => write.rows),
      );
      await this.outbox.append(
        manager,
        writes.flatMap((write) => write.events),
      );
      return outcome;
    });
    // Committed: the mirror holds what these snapshots show (or, where they were stale, something newer).
    this.mirroredChanges.record(snapshots.values());
    return committed;
  }

  private planApply(
    manager: EntityManager,
    engineSnapshot: InstanceSnapshot,
    mirrored: MirroredRows,
    domainEvents: DomainEvent[],
    readStartedAt: Date,
    actor: EventActor | null,
    cause: EventCause | null,
  ): InstanceWrite {
    const now = new Date();
    // The engine tells no candidates of an ended task: it ended with those the mirror saw last, and its events say so.
    const lastSeen = new Map(mirrored.tasks.map((task) => [task.id, task]));
    // Logged before the mirror's last read began, a transition is in the mirror already (a replica that
    // published it and stopped before its poll settled, a restart): told again, it would be published twice.
    const lastReadAt = mirrored.instance?.snapshotReadAt ?? null;
    const unseen = <T extends { at: Date }>(changes: T[] | undefined) => changes?.filter((change) => lastReadAt === null || change.at > lastReadAt);
    const snapshot: InstanceSnapshot = {
      ...engineSnapshot,
      suspensionChanges: unseen(engineSnapshot.suspensionChanges),
      tasks: engineSnapshot.tasks.map((task) => ({
        ...task,
        candidateUsers: task.candidateUsers ?? lastSeen.get(task.id)?.candidateUsers ?? [],
        candidateGroups: task.candidateGroups ?? lastSeen.get(task.id)?.candidateGroups ?? [],
        assigneeChanges: unseen(task.assigneeChanges),
      })),
    };
    const restoring = mirrored.instance !== null && isMarkedRemoved(mirrored.instance);
    const { instance: before, tasks: beforeTasks, incidents: beforeIncidents } = restoring ? reopenedForRestore(mirrored, snapshot) : mirrored;
    const { startEvents, taskEvents, endEvents } = diffInstance(before, beforeTasks, snapshot, now, beforeIncidents);
    const domain = domainEvents.map((event): ChangeEvent => ({ ...event, occurredAt: now }));
    const restoredEvents: ChangeEvent[] = restoring ? [{ type: EventType.ProcessRestored, occurredAt: now, data: instanceEventData(snapshot) }] : [];
    const changes = [...restoredEvents, ...startEvents, ...taskEvents, ...domain, ...endEvents];

    const keepEnded = before !== null && !isOpenInstance(before.state);
    const { tasks: snapshotTasks, variables, incidents, ...engineInstance } = snapshot;
    const instance = manager.create(ProcessInstanceRecord, {
      ...(keepEnded ? before : engineInstance),
      id: snapshot.id,
      definitionId: snapshot.definitionId,
      definitionKey: snapshot.definitionKey,
      businessKey: snapshot.businessKey,
      tenantId: snapshot.tenantId,
      // Written once: who started an instance does not change with its variables later.
      startedBy: before?.startedBy ?? snapshot.startedBy,
      lastEventSequence: (before?.lastEventSequence ?? 0) + changes.length,
      lastSyncedAt: now,
      snapshotReadAt: readStartedAt,
    });

    const known = new Map(beforeTasks.map((task) => [task.id, task]));
    const tasks = snapshotTasks
      .filter((task) => {
        const previous = known.get(task.id);
        return !previous || isOpenTask(previous.state);
      })
      .map((task) =>
        manager.create(TaskRecord, {
          ...task,
          processInstanceId: snapshot.id,
          processDefinitionKey: snapshot.definitionKey,
          businessKey: snapshot.businessKey,
          lastSyncedAt: now,
        }),
      );
    // Variables carry no events; the engine's current set replaces the mirror's.
    const variableRows = variables.map((variable) =>
      manager.create(VariableRecord, { ...variable, processInstanceId: snapshot.id, lastSyncedAt: now } as VariableRecord),
    );
    const endedIncidents = new Set(beforeIncidents.filter((incident) => incident.state !== IncidentState.Open).map((incident) => incident.id));
    const incidentRows = incidents
      .filter((incident) => !endedIncidents.has(incident.id))
      .map((incident) => manager.create(IncidentRecord, { ...incident, processInstanceId: snapshot.id, lastSyncedAt: now }));
    return {
      rows: { instance, tasks, variables: variableRows, incidents: incidentRows },
      events: sequenced(instance, before?.lastEventSequence ?? 0, changes, actor, cause),
    };
  }

  /** Null when there is nothing to mark: the mirror never had the instance, or already holds its end. */
  private planRemoval(mirrored: MirroredRows, readStartedAt: Date, actor: EventActor | null, cause: EventCause | null): InstanceWrite | null {
    const { instance: before, tasks: beforeTasks, incidents: beforeIncidents } = mirrored;
    if (!before || !isOpenInstance(before.state)) return null;
    const now = new Date();
    const openTasks = beforeTasks.filter((task) => isOpenTask(task.state));
    const openIncidents = beforeIncidents.filter((incident) => incident.state === IncidentState.Open);
    const changes: ChangeEvent[] = [
      ...openIncidents.map((incident) => ({
        type: EventType.IncidentResolved,
        occurredAt: now,
        data: { ...incidentEventData(incident), resolution: IncidentState.Deleted },
      })),
      ...openTasks.map((task) => ({
        type: EventType.TaskDeleted,
        occurredAt: now,
        data: { ...taskEventData(task), deleteReason: REMOVED_FROM_ENGINE },
      })),
      {
        type: EventType.ProcessTerminated,
        occurredAt: now,
        data: { ...instanceEventData({ ...before, state: InstanceState.ExternallyTerminated }), deleteReason: REMOVED_FROM_ENGINE },
      },
    ];
    for (const task of openTasks) Object.assign(task, { state: TaskState.Deleted, endedAt: now, lastSyncedAt: now });
    for (const incident of openIncidents) Object.assign(incident, { state: IncidentState.Deleted, endedAt: now, lastSyncedAt: now });
    const previousSequence = before.lastEventSequence;
    Object.assign(before, {
      state: InstanceState.ExternallyTerminated,
      endedAt: now,
      deleteReason: REMOVED_FROM_ENGINE,
      lastEventSequence: previousSequence + changes.length,
      lastSyncedAt: now,
      snapshotReadAt: readStartedAt,
    });
    return {
      rows: { instance: before, tasks: openTasks, variables: null, incidents: openIncidents },
      events: sequenced(before, previousSequence, changes, actor, cause),
    };
  }
}

function sequenced(
  instance: ProcessInstanceRecord,
  previousSequence: number,
  changes: ChangeEvent[],
  actor: EventActor | null,
  cause: EventCause | null,
): InstanceEvent[] {
  return changes.map((change, index) => ({
    ...change,
    processInstanceId: instance.id,
    businessKey: instance.businessKey,
    processDefinitionKey: instance.definitionKey,
    tenantId: instance.tenantId,
    actor,
    cause,
    sequence: previousSequence + index + 1,
  }));
}

/**
 * The mirror as it was before the instance was marked removed, as far as the snapshot shows: open again, with the
 * tasks and incidents the mark ended and the engine still has open treated as new (so they are announced again).
 */
function reopenedForRestore(
  mirrored: MirroredRows,
  snapshot: InstanceSnapshot,
): { instance: ProcessInstanceRecord; tasks: TaskRecord[]; incidents: IncidentRecord[] } {
  const openTasks = new Set(snapshot.tasks.filter((task) => isOpenTask(task.state)).map((task) => task.id));
  const openIncidents = new Set(snapshot.incidents.filter((incident) => incident.state === IncidentState.Open).map((incident) => incident.id));
  return {
    instance: Object.assign(Object.create(ProcessInstanceRecord.prototype) as ProcessInstanceRecord, mirrored.instance, {
      state: InstanceState.Active,
      endedAt: null,
      deleteReason: null,
    }),
    tasks: mirrored.tasks.filter((task) => isOpenTask(task.state) || !openTasks.has(task.id)),
    incidents: mirrored.incidents.filter((incident) => incident.state === IncidentState.Open || !openIncidents.has(incident.id)),
  };
}
