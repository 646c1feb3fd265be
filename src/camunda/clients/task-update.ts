import type { TaskUpdate } from '../camunda.models.js';
import { fromEngineDate, toEngineDate } from '../engine-date.js';
import type { TaskDto, UserOperationLogEntryDto } from '../engine-dto.js';

/** The fields PUT /task/{id} writes, all of them at once (engine-rest has no partial update). */
export type TaskFields = Omit<TaskDto, 'id' | 'processInstanceId'>;

type RestorableField = 'name' | 'description' | 'assignee' | 'owner' | 'delegationState' | 'due' | 'followUp' | 'priority';

/** How the user-operation log names each field when an update changes it. */
const LOGGED_AS: Record<RestorableField, string> = {
  name: 'name',
  description: 'description',
  assignee: 'assignee',
  owner: 'owner',
  delegationState: 'delegation',
  due: 'dueDate',
  followUp: 'followUpDate',
  priority: 'priority',
};
const FIELD_LOGGED_AS = new Map(Object.entries(LOGGED_AS).map(([field, property]) => [property, field as RestorableField]));

export function fieldsOf(task: TaskDto): TaskFields {
  const { name, description, assignee, owner, delegationState, due, followUp, priority, parentTaskId, caseInstanceId, tenantId } = task;
  return { name, description, assignee, owner, delegationState, due, followUp, priority, parentTaskId, caseInstanceId, tenantId };
}

/** The gateway's update as engine field values. */
export function requestedFields(update: TaskUpdate): Partial<TaskFields> {
  return {
    ...(update.dueAt !== undefined ? { due: update.dueAt && toEngineDate(update.dueAt) } : {}),
    ...(update.followUpAt !== undefined ? { followUp: update.followUpAt && toEngineDate(update.followUpAt) } : {}),
    ...(update.priority !== undefined ? { priority: update.priority } : {}),
  };
}

/** The fields of `wanted` that differ from `current`; dates compare as instants, whatever zone the engine prints. */
export function changedFields(current: TaskFields, wanted: Partial<TaskFields>): (keyof TaskFields)[] {
  return (Object.keys(wanted) as (keyof TaskFields)[]).filter((field) => {
    const [before, after] = [current[field], wanted[field]];
    if ((field === 'due' || field === 'followUp') && before && after)
      return fromEngineDate(String(before)).getTime() !== fromEngineDate(String(after)).getTime();
    return before !== after;
  });
}

/**
 * What an update overwrote that it did not mean to change: the PUT carried the values of an earlier read, so a
 * claim (or any change) that landed in between was reverted by it. The update's own entries in the user-operation
 * log say so: an entry for a field the update meant to keep means the field held something else at write time,
 * and `orgValue` is that value. Returns the values to restore (empty when nothing was overwritten).
 *
 * `entries` are the task's latest Update entries, newest first; the update's own operation is the newest one
 * that logged every field it changed.
 */
export function overwrittenFields(entries: UserOperationLogEntryDto[], changed: (keyof TaskFields)[]): Partial<TaskFields> {
  const operations = new Map<string, UserOperationLogEntryDto[]>();
  for (const entry of entries) operations.set(entry.operationId, [...(operations.get(entry.operationId) ?? []), entry]);
  const expected = changed.map((field) => LOGGED_AS[field as RestorableField]).filter(Boolean);
  const own = [...operations.values()].find((operation) => expected.every((property) => operation.some((entry) => entry.property === property)));
  const restore: Partial<TaskFields> = {};
  for (const entry of own ?? []) {
    const field = entry.property ? FIELD_LOGGED_AS.get(entry.property) : undefined;
    if (!field || changed.includes(field)) continue;
    Object.assign(restore, { [field]: loggedValue(field, entry.orgValue) });
  }
  return restore;
}

/** The log keeps values as strings: dates as epoch milliseconds, priority as a number's digits. */
function loggedValue(field: RestorableField, value: string | null): string | number | null {
  if (value === null) return null;
  if (field === 'priority') return Number(value);
  if (field === 'due' || field === 'followUp') return toEngineDate(new Date(Number(value)));
  return value;
}
