import { IncidentState } from '../mirror/incident.entity.js';
import { InstanceState } from '../mirror/process-instance.entity.js';
import { TaskState } from '../mirror/task.entity.js';
import type { VariableScopeKind } from '../mirror/variable.entity.js';

/** The engine's current truth about one process instance, in mirror terms. */
export interface InstanceSnapshot {
  id: string;
  definitionId: string;
  definitionKey: string;
  businessKey: string | null;
  tenantId: string | null;
  state: InstanceState;
  startedAt: Date;
  endedAt: Date | null;
  deleteReason: string | null;
  /** The Camunda user who started it, when known (see started-by.ts). */
  startedBy: string | null;
  tasks: TaskSnapshot[];
  variables: VariableSnapshot[];
  incidents: IncidentSnapshot[];
  /** As a task's assigneeChanges: suspensions and activations a poll found in the log, oldest first. */
  suspensionChanges?: SuspensionChange[];
}

export interface VariableSnapshot {
  id: string;
  name: string;
  type: string;
  value: unknown;
  valueInfo: Record<string, unknown> | null;
  scope: VariableScopeKind;
  taskId: string | null;
  activityInstanceId: string | null;
}

export interface IncidentSnapshot {
  id: string;
  type: string;
  message: string | null;
  activityId: string | null;
  configuration: string | null;
  annotation: string | null;
  state: IncidentState;
  createdAt: Date;
  endedAt: Date | null;
}

export interface TaskSnapshot {
  id: string;
  name: string | null;
  description: string | null;
  taskDefinitionKey: string | null;
  assignee: string | null;
  owner: string | null;
  /** Undefined when the engine no longer tells (the task has ended): the mirror keeps what it had. */
  candidateUsers?: string[];
  candidateGroups?: string[];
  priority: number;
  state: TaskState;
  suspended: boolean;
  createdAt: Date;
  dueAt: Date | null;
  followUpAt: Date | null;
  endedAt: Date | null;
  tenantId: string | null;
  /**
   * Assignee changes a poll found in the engine's user-operation log and the mirror has not seen, oldest first: each
   * becomes an event, so a claim undone before the next poll still reaches consumers.
   */
  assigneeChanges?: AssigneeChange[];
}

/** One change of a task's assignee as the user-operation log recorded it (claim, unclaim, assign, delegate). */
export interface AssigneeChange {
  /** The log entry's id. */
  entryId: string;
  from: string | null;
  to: string | null;
  at: Date;
}

/** One suspension or activation of an instance as the user-operation log recorded it. */
export interface SuspensionChange {
  entryId: string;
  suspended: boolean;
  at: Date;
}

/** Transitions from the user-operation log a poll found: assignee changes by task id, suspension changes by instance id. */
export interface LoggedChanges {
  assignees: ReadonlyMap<string, AssigneeChange[]>;
  suspensions: ReadonlyMap<string, SuspensionChange[]>;
}

/** The snapshots with the logged changes of their own and of their tasks attached. */
export function withLoggedChanges(snapshots: Map<string, InstanceSnapshot | null>, logged: LoggedChanges | undefined): Map<string, InstanceSnapshot | null> {
  if (!logged || (logged.assignees.size === 0 && logged.suspensions.size === 0)) return snapshots;
  for (const snapshot of snapshots.values()) {
    if (!snapshot) continue;
    snapshot.suspensionChanges = logged.suspensions.get(snapshot.id);
    snapshot.tasks = snapshot.tasks.map((task) => (logged.assignees.has(task.id) ? { ...task, assigneeChanges: logged.assignees.get(task.id) } : task));
  }
  return snapshots;
}

export function taskStateOf(task: { endedAt: Date | null; deleteReason: string | null; assignee: string | null }): TaskState {
  if (task.endedAt) return task.deleteReason === 'completed' ? TaskState.Completed : TaskState.Deleted;
  return task.assignee ? TaskState.Assigned : TaskState.Created;
}
