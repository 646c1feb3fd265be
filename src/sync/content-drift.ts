import { IncidentState, type IncidentRecord } from '../mirror/incident.entity.js';
import { isOpenInstance, isOpenTask } from '../mirror/open-states.js';
import type { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import type { TaskRecord } from '../mirror/task.entity.js';
import type { VariableRecord } from '../mirror/variable.entity.js';
import type { IncidentSnapshot, InstanceSnapshot, VariableSnapshot } from './instance-snapshot.js';
import type { MirroredContents } from './mirror-store.js';
import { isMarkedRemoved } from './removal-mark.js';

/**
 * Whether a refresh would change what the mirror holds of the instance, given what the engine holds now (null: the
 * engine has no record of it): its fields, its tasks (with candidates), its variables and its incidents. Only what a
 * refresh mends counts, so a reconcile never refreshes the same instance again and again for nothing: rows the mirror
 * ended stay as they are (ended things never reopen), and tasks and incidents the engine no longer lists are kept.
 */
export function contentDiffers(snapshot: InstanceSnapshot | null, mirrored: MirroredContents): boolean {
  const { instance } = mirrored;
  if (!snapshot) return instance !== null && isOpenInstance(instance.state);
  if (!instance || isMarkedRemoved(instance)) return true;
  return (
    instanceDiffers(snapshot, instance) ||
    tasksDiffer(snapshot, mirrored.tasks) ||
    variablesDiffer(snapshot.variables, mirrored.variables) ||
    incidentsDiffer(snapshot.incidents, mirrored.incidents)
  );
}

function instanceDiffers(engine: InstanceSnapshot, row: ProcessInstanceRecord): boolean {
  if (
    row.definitionId !== engine.definitionId ||
    row.definitionKey !== engine.definitionKey ||
    row.businessKey !== engine.businessKey ||
    row.tenantId !== engine.tenantId
  ) {
    return true;
  }
  return isOpenInstance(row.state) && (row.state !== engine.state || !sameTime(row.startedAt, engine.startedAt));
}

function tasksDiffer(instance: InstanceSnapshot, mirrored: TaskRecord[]): boolean {
  const byId = new Map(mirrored.map((task) => [task.id, task]));
  return instance.tasks.some((task) => {
    const row = byId.get(task.id);
    if (!row) return true;
    if (!isOpenTask(row.state)) return false;
    return (
      row.state !== task.state ||
      row.businessKey !== instance.businessKey ||
      row.processDefinitionKey !== instance.definitionKey ||
      row.taskDefinitionKey !== task.taskDefinitionKey ||
      row.tenantId !== task.tenantId ||
      !sameTime(row.createdAt, task.createdAt) ||
      row.assignee !== task.assignee ||
      row.owner !== task.owner ||
      row.name !== task.name ||
      row.description !== task.description ||
      row.priority !== task.priority ||
      row.suspended !== task.suspended ||
      !sameTime(row.dueAt, task.dueAt) ||
      !sameTime(row.followUpAt, task.followUpAt) ||
      // Undefined: the engine no longer tells (the task ended meanwhile); its state differs then anyway.
      (task.candidateUsers !== undefined && !sameSet(row.candidateUsers, task.candidateUsers)) ||
      (task.candidateGroups !== undefined && !sameSet(row.candidateGroups, task.candidateGroups))
    );
  });
}

/** A refresh replaces the whole set, so a variable the mirror holds beyond the engine's is drift too. */
function variablesDiffer(engine: VariableSnapshot[], mirrored: VariableRecord[]): boolean {
  if (engine.length !== mirrored.length) return true;
  const byId = new Map(mirrored.map((variable) => [variable.id, variable]));
  return engine.some((variable) => {
    const row = byId.get(variable.id);
    return (
      !row ||
      row.name !== variable.name ||
      row.type !== variable.type ||
      row.scope !== variable.scope ||
      row.taskId !== variable.taskId ||
      row.activityInstanceId !== variable.activityInstanceId ||
      canonicalJson(row.value) !== canonicalJson(variable.value) ||
      canonicalJson(row.valueInfo) !== canonicalJson(variable.valueInfo)
    );
  });
}

function incidentsDiffer(engine: IncidentSnapshot[], mirrored: IncidentRecord[]): boolean {
  const byId = new Map(mirrored.map((incident) => [incident.id, incident]));
  return engine.some((incident) => {
    const row = byId.get(incident.id);
    if (!row) return true;
    if (row.state !== IncidentState.Open) return false;
    return (
      row.state !== incident.state ||
      row.type !== incident.type ||
      row.message !== incident.message ||
      row.activityId !== incident.activityId ||
      row.configuration !== incident.configuration ||
      row.annotation !== incident.annotation ||
      !sameTime(row.createdAt, incident.createdAt)
    );
  });
}

/** JSON with object keys in order: jsonb keeps no key order (nor -0, nor undefined properties). */
function canonicalJson(value: unknown): string {
  const text = JSON.stringify(value, (_, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  ) as string | undefined;
  return text ?? 'null';
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/** As sets: the engine may list a candidate twice, and a list read per task may keep what a log replay folds. */
function sameSet(a: string[], b: string[]): boolean {
  const [left, right] = [new Set(a), new Set(b)];
  return left.size === right.size && [...left].every((item) => right.has(item));
}
