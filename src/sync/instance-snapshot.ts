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
}

export function taskStateOf(task: { endedAt: Date | null; deleteReason: string | null; assignee: string | null }): TaskState {
  if (task.endedAt) return task.deleteReason === 'completed' ? TaskState.Completed : TaskState.Deleted;
  return task.assignee ? TaskState.Assigned : TaskState.Created;
}
