import { InstanceState } from './process-instance.entity.js';
import { TaskState } from './task.entity.js';

/** The one definition of "still open", for queries (arrays) and checks (the functions). */
export const OPEN_INSTANCE_STATES: readonly InstanceState[] = [InstanceState.Active, InstanceState.Suspended];
export const OPEN_TASK_STATES: readonly TaskState[] = [TaskState.Created, TaskState.Assigned];

export function isOpenInstance(state: InstanceState): boolean {
  return OPEN_INSTANCE_STATES.includes(state);
}

export function isOpenTask(state: TaskState): boolean {
  return OPEN_TASK_STATES.includes(state);
}
