import { EventType, type PublishedEventType } from '../events/event-types.js';
import { IncidentState } from '../mirror/incident.entity.js';
import { InstanceState } from '../mirror/process-instance.entity.js';
import { TaskState } from '../mirror/task.entity.js';
import { isOpenInstance, isOpenTask } from '../mirror/open-states.js';
import type { IncidentSnapshot, InstanceSnapshot, TaskSnapshot } from './instance-snapshot.js';

/** What the mirror held before; only the fields whose change is an event. */
export interface MirroredInstance {
  state: InstanceState;
}
export interface MirroredTask {
  id: string;
  state: TaskState;
  assignee: string | null;
}

export interface MirroredIncident {
  id: string;
  state: IncidentState;
}

/** The `data` of process events (docs/events.schema.json); every path that writes one builds it here. */
export function instanceEventData(instance: { state: InstanceState; definitionId: string; tenantId: string | null }): Record<string, unknown> {
  return { state: instance.state, definitionId: instance.definitionId, tenantId: instance.tenantId };
}

/** The `data` of task events. */
export function taskEventData(task: {
  id: string;
  name: string | null;
  taskDefinitionKey: string | null;
  assignee: string | null;
  candidateGroups?: string[];
  candidateUsers?: string[];
}): Record<string, unknown> {
  return {
    taskId: task.id,
    name: task.name,
    taskDefinitionKey: task.taskDefinitionKey,
    assignee: task.assignee,
    candidateGroups: task.candidateGroups ?? [],
    candidateUsers: task.candidateUsers ?? [],
  };
}

/** The `data` of incident events. */
export function incidentEventData(incident: {
  id: string;
  type: string;
  message: string | null;
  activityId: string | null;
  configuration: string | null;
}): Record<string, unknown> {
  return {
    incidentId: incident.id,
    incidentType: incident.type,
    message: incident.message,
    activityId: incident.activityId,
    configuration: incident.configuration,
  };
}

export interface ChangeEvent {
  id?: string;
  holdMs?: number;
  heldBy?: string;
  type: PublishedEventType;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/**
 * The state transitions between the mirror and a fresh engine snapshot, as events in the order they happened:
 * the start, then each task's life in creation order, then the instance's later state changes.
 * Ended things never reopen: a late, older snapshot cannot move the mirror backwards.
 */
export function diffInstance(
  before: MirroredInstance | null,
  beforeTasks: MirroredTask[],
  after: InstanceSnapshot,
  now: Date,
  beforeIncidents: MirroredIncident[] = [],
): { startEvents: ChangeEvent[]; taskEvents: ChangeEvent[]; endEvents: ChangeEvent[] } {
  const instanceData = instanceEventData(after);
  const startEvents: ChangeEvent[] = [];
  const endEvents: ChangeEvent[] = [];
  if (!before) startEvents.push({ type: EventType.ProcessStarted, occurredAt: after.startedAt, data: instanceData });

  const wasOpen = !before || isOpenInstance(before.state);
  if (wasOpen) {
    let previous = before?.state ?? InstanceState.Active;
    // Each logged suspension or activation that follows on from what the mirror held, as with assignees.
    for (const change of after.suspensionChanges ?? []) {
      const state = change.suspended ? InstanceState.Suspended : InstanceState.Active;
      if (state === previous) continue;
      endEvents.push({
        type: change.suspended ? EventType.ProcessSuspended : EventType.ProcessActivated,
        occurredAt: change.at,
        data: { ...instanceData, state },
      });
      previous = state;
    }
    if (after.state === InstanceState.Suspended && previous !== InstanceState.Suspended) {
      endEvents.push({ type: EventType.ProcessSuspended, occurredAt: now, data: instanceData });
    } else if (after.state === InstanceState.Active && previous === InstanceState.Suspended) {
      endEvents.push({ type: EventType.ProcessActivated, occurredAt: now, data: instanceData });
    } else if (after.state === InstanceState.Completed) {
      endEvents.push({ type: EventType.ProcessCompleted, occurredAt: after.endedAt ?? now, data: instanceData });
    } else if (after.state === InstanceState.ExternallyTerminated || after.state === InstanceState.InternallyTerminated) {
      endEvents.push({
        type: EventType.ProcessTerminated,
        occurredAt: after.endedAt ?? now,
        data: { ...instanceData, deleteReason: after.deleteReason },
      });
    }
  }

  const known = new Map(beforeTasks.map((task) => [task.id, task]));
  const knownIncidents = new Map(beforeIncidents.map((incident) => [incident.id, incident]));
  // Tasks and incidents interleave by time: an incident raised while a task was open comes before its completion.
  const taskEvents = [
    ...after.tasks.flatMap((task) => diffTask(known.get(task.id) ?? null, task, now)),
    ...after.incidents.flatMap((incident) => diffIncident(knownIncidents.get(incident.id) ?? null, incident, now)),
  ].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  return { startEvents, taskEvents, endEvents };
}

function diffIncident(before: MirroredIncident | null, after: IncidentSnapshot, now: Date): ChangeEvent[] {
  if (before && before.state !== IncidentState.Open) return [];
  const data = incidentEventData(after);
  const events: ChangeEvent[] = [];
  if (!before) events.push({ type: EventType.IncidentCreated, occurredAt: after.createdAt, data });
  if (after.state !== IncidentState.Open) {
    events.push({ type: EventType.IncidentResolved, occurredAt: after.endedAt ?? now, data: { ...data, resolution: after.state } });
  }
  return events;
}

function diffTask(before: MirroredTask | null, after: TaskSnapshot, now: Date): ChangeEvent[] {
  if (before && !isOpenTask(before.state)) return [];
  const data = taskEventData(after);
  const events: ChangeEvent[] = [];
  if (!before) events.push({ type: EventType.TaskCreated, occurredAt: after.createdAt, data });
  // Each logged change that follows on from what the mirror held, then the rest of the way to the snapshot's.
  // A change that does not follow on (the mirror saw it already, or missed an earlier one) is left out.
  let assignee = before?.assignee ?? null;
  let logged = 0;
  for (const change of after.assigneeChanges ?? []) {
    if (change.from !== assignee || change.to === assignee) continue;
    events.push({ type: EventType.TaskAssigned, occurredAt: change.at, data: { ...data, assignee: change.to, previousAssignee: assignee } });
    assignee = change.to;
    logged += 1;
  }
  // A new task without an assignee has no change to tell, unless the log told one.
  if (after.assignee !== assignee && (after.assignee !== null || before !== null || logged > 0)) {
    events.push({ type: EventType.TaskAssigned, occurredAt: after.endedAt ?? now, data: { ...data, previousAssignee: assignee } });
  }
  if (!isOpenTask(after.state)) {
    const type = after.state === TaskState.Completed ? EventType.TaskCompleted : EventType.TaskDeleted;
    events.push({ type, occurredAt: after.endedAt ?? now, data });
  }
  return events;
}
