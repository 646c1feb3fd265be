import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { EventType, type EventActor, type InstanceEvent } from '../events/event-types.js';
import { OutboxWriter } from '../events/outbox-writer.js';
import { INCIDENT_TEXT_FIELDS, IncidentRecord, IncidentState } from '../mirror/incident.entity.js';
import { INSTANCE_TEXT_FIELDS, InstanceState, ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { TASK_TEXT_FIELDS, TaskRecord, TaskState } from '../mirror/task.entity.js';
import { restored, storable } from '../mirror/unstorable-text.js';
import { VARIABLE_TEXT_FIELDS, VariableRecord } from '../mirror/variable.entity.js';
import type { InstanceSnapshot } from './instance-snapshot.js';
import { isOpenInstance, isOpenTask } from '../mirror/open-states.js';
import { ParkedInstances } from './parked-instances.js';
import { diffInstance, incidentEventData, instanceEventData, taskEventData, type ChangeEvent } from './mirror-diff.js';

/** An event a worker or capability adds to an instance's history, published in order with the mirror's own. */
export interface DomainEvent {
  type: EventType;
  data: Record<string, unknown>;
}

export interface RefreshOptions {
  domainEvents?: DomainEvent[];
  /** The caller whose command this refresh follows; every event it writes names them. */
  actor?: EventActor | null;
}

const REMOVED_FROM_ENGINE = 'removed from engine';
// Reads of one instance before a refresh applies whatever it read last, however busy the instance is.
const MAX_READS = 3;
const STALE = Symbol('stale snapshot');

/**
 * The one step every sync path ends in: read the engine's current state, then under a per-instance lock diff it
 * against the mirror and write the mirror rows and their events in one transaction.
 */
@Injectable()
export class MirrorApplier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly parked: ParkedInstances,
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
    for (let read = 1; ; read += 1) {
      // The database's clock, the same for every replica that compares with it.
      const [{ now: readStartedAt }]: { now: Date }[] = await this.dataSource.query('SELECT clock_timestamp() AS now');
      const snapshot = await readSnapshot();
      const outcome = await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [instanceId]);
        const stored = await manager.findOneBy(ProcessInstanceRecord, { id: instanceId });
        if (stored?.snapshotReadAt && stored.snapshotReadAt > readStartedAt && read < MAX_READS) return domainEvents.length > 0 ? STALE : 0;
        // With the engine's values restored: events and comparisons see what the engine has, never the escaped form.
        const before = stored && restored(stored);
        const beforeTasks = (await manager.findBy(TaskRecord, { processInstanceId: instanceId })).map(restored);
        const beforeIncidents = (await manager.findBy(IncidentRecord, { processInstanceId: instanceId })).map(restored);
        await this.parked.release(manager, instanceId);
        if (!snapshot) return this.markRemoved(manager, before, beforeTasks, beforeIncidents, readStartedAt, actor);
        return this.apply(manager, snapshot, { instance: before, tasks: beforeTasks, incidents: beforeIncidents }, domainEvents, readStartedAt, actor);
      });
      if (outcome !== STALE) return outcome;
    }
  }

  private async apply(
    manager: EntityManager,
    engineSnapshot: InstanceSnapshot,
    mirrored: { instance: ProcessInstanceRecord | null; tasks: TaskRecord[]; incidents: IncidentRecord[] },
    domainEvents: DomainEvent[],
    readStartedAt: Date,
    actor: EventActor | null,
  ): Promise<number> {
    const now = new Date();
    // The engine tells no candidates of an ended task: it ended with those the mirror saw last, and its events say so.
    const lastSeen = new Map(mirrored.tasks.map((task) => [task.id, task]));
    const snapshot: InstanceSnapshot = {
      ...engineSnapshot,
      tasks: engineSnapshot.tasks.map((task) => ({
        ...task,
        candidateUsers: task.candidateUsers ?? lastSeen.get(task.id)?.candidateUsers ?? [],
        candidateGroups: task.candidateGroups ?? lastSeen.get(task.id)?.candidateGroups ?? [],
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
    // Every mirror write is an upsert, so a concurrent writer of the same row never makes this one fail.
    await manager.upsert(ProcessInstanceRecord, storable(instance, INSTANCE_TEXT_FIELDS), ['id']);

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
    if (tasks.length > 0) await manager.upsert(TaskRecord, tasks.map((task) => storable(task, TASK_TEXT_FIELDS)), ['id']);

    // Variables carry no events; the engine's current set replaces the mirror's.
    await manager.delete(VariableRecord, { processInstanceId: snapshot.id });
    if (variables.length > 0) {
      const rows = variables.map((variable) => manager.create(VariableRecord, { ...variable, processInstanceId: snapshot.id, lastSyncedAt: now }));
      // `value` is any JSON, which TypeORM's partial-entity type cannot express.
      await manager.upsert(VariableRecord, rows.map((row) => storable(row, VARIABLE_TEXT_FIELDS)) as QueryDeepPartialEntity<VariableRecord>[], ['id']);
    }
    const endedIncidents = new Set(beforeIncidents.filter((incident) => incident.state !== IncidentState.Open).map((incident) => incident.id));
    const incidentRows = incidents.filter((incident) => !endedIncidents.has(incident.id)).map((incident) => ({ ...incident, processInstanceId: snapshot.id, lastSyncedAt: now }));
    if (incidentRows.length > 0) await manager.upsert(IncidentRecord, incidentRows.map((row) => storable(row, INCIDENT_TEXT_FIELDS)), ['id']);

    await this.outbox.append(manager, this.sequence(instance, before?.lastEventSequence ?? 0, changes, actor));
    return changes.length;
  }

  private async markRemoved(
    manager: EntityManager,
    before: ProcessInstanceRecord | null,
    beforeTasks: TaskRecord[],
    beforeIncidents: IncidentRecord[],
    readStartedAt: Date,
    actor: EventActor | null,
  ): Promise<number> {
    if (!before || !isOpenInstance(before.state)) return 0;
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
    if (openTasks.length > 0) await manager.upsert(TaskRecord, openTasks.map((task) => storable(task, TASK_TEXT_FIELDS)), ['id']);
    for (const incident of openIncidents) Object.assign(incident, { state: IncidentState.Deleted, endedAt: now, lastSyncedAt: now });
    if (openIncidents.length > 0) await manager.upsert(IncidentRecord, openIncidents.map((incident) => storable(incident, INCIDENT_TEXT_FIELDS)), ['id']);
    const previousSequence = before.lastEventSequence;
    Object.assign(before, {
      state: InstanceState.ExternallyTerminated,
      endedAt: now,
      deleteReason: REMOVED_FROM_ENGINE,
      lastEventSequence: previousSequence + changes.length,
      lastSyncedAt: now,
      snapshotReadAt: readStartedAt,
    });
    await manager.upsert(ProcessInstanceRecord, storable(before, INSTANCE_TEXT_FIELDS), ['id']);
    await this.outbox.append(manager, this.sequence(before, previousSequence, changes, actor));
    return changes.length;
  }

  private sequence(instance: ProcessInstanceRecord, previousSequence: number, changes: ChangeEvent[], actor: EventActor | null): InstanceEvent[] {
    return changes.map((change, index) => ({
      ...change,
      processInstanceId: instance.id,
      businessKey: instance.businessKey,
      processDefinitionKey: instance.definitionKey,
      tenantId: instance.tenantId,
      actor,
      sequence: previousSequence + index + 1,
    }));
  }
}

/** Only the gateway's own "removed from engine" mark can be undone; an end the engine reported is final. */
function isMarkedRemoved(instance: ProcessInstanceRecord): boolean {
  return instance.state === InstanceState.ExternallyTerminated && instance.deleteReason === REMOVED_FROM_ENGINE;
}

/**
 * The mirror as it was before the instance was marked removed, as far as the snapshot shows: open again, with the
 * tasks and incidents the mark ended and the engine still has open treated as new (so they are announced again).
 */
function reopenedForRestore(
  mirrored: { instance: ProcessInstanceRecord | null; tasks: TaskRecord[]; incidents: IncidentRecord[] },
  snapshot: InstanceSnapshot,
): { instance: ProcessInstanceRecord; tasks: TaskRecord[]; incidents: IncidentRecord[] } {
  const openTasks = new Set(snapshot.tasks.filter((task) => isOpenTask(task.state)).map((task) => task.id));
  const openIncidents = new Set(snapshot.incidents.filter((incident) => incident.state === IncidentState.Open).map((incident) => incident.id));
  return {
    instance: Object.assign(Object.create(ProcessInstanceRecord.prototype) as ProcessInstanceRecord, mirrored.instance, { state: InstanceState.Active, endedAt: null, deleteReason: null }),
    tasks: mirrored.tasks.filter((task) => isOpenTask(task.state) || !openTasks.has(task.id)),
    incidents: mirrored.incidents.filter((incident) => incident.state === IncidentState.Open || !openIncidents.has(incident.id)),
  };
}
