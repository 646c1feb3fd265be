import { Injectable } from '@nestjs/common';
import { allPages } from '../camunda/all-pages.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';
import { unlessUnknown } from '../camunda/camunda.errors.js';
import { GatewayConfig } from '../config/gateway-config.js';
import type { EngineHistoricIncident, EngineProcessInstance, EngineTask, EngineVariable, TaskCandidates } from '../camunda/camunda.models.js';
import { IncidentState } from '../mirror/incident.entity.js';
import { InstanceState } from '../mirror/process-instance.entity.js';
import { mapConcurrently } from './concurrency.js';
import {
  taskStateOf,
  withLoggedChanges,
  type IncidentSnapshot,
  type InstanceSnapshot,
  type LoggedChanges,
  type TaskSnapshot,
  type VariableSnapshot,
} from './instance-snapshot.js';
import { startedByOf } from './started-by.js';
import type { KnownCandidates } from './candidate-index.js';

/** The most instances one batch read asks the engine about: their ids travel in one request body. */
export const MAX_BATCH_READ = 200;
// Requests a batch read keeps in flight for what the engine only answers per instance or per task.
const ENGINE_CONCURRENCY = 8;
const LIST_PAGE = 1_000;
// Tasks per instance up to which instances sharing business keys are still read together.
const TASKS_PER_INSTANCE_READ_TOGETHER = 20;

/** What a batch's caller read before it: the reader asks the engine only for the rest. */
export interface ReadAhead {
  candidates?: KnownCandidates;
  /** Transitions from the user-operation log, attached to the snapshots (withLoggedChanges). */
  logged?: LoggedChanges;
  /** History rows of some of the batch's instances (an import's page), and when their read began. */
  instances?: { rows: EngineProcessInstance[]; readAt: Date };
}

/** When the oldest part of what was read ahead was read: the batch's snapshot is no newer than that. */
export function readAheadSince(ahead: ReadAhead): Date | undefined {
  const times = [ahead.candidates?.asOf, ahead.instances?.readAt].filter((time): time is Date => time !== undefined);
  return times.length === 0 ? undefined : new Date(Math.min(...times.map((time) => time.getTime())));
}

/**
 * Reads instances' full current state from the engine: history for states, runtime for candidates. A batch reads
 * instances and variables with one list query each; tasks (history has no filter for many instances) and candidates
 * (the engine has no list of them) are read per instance and per open task, a few at a time.
 */
@Injectable()
export class InstanceSnapshotReader {
  constructor(
    private readonly historyClient: HistoryClient,
    private readonly taskClient: TaskClient,
    private readonly config: GatewayConfig,
  ) {}

  /**
   * Null only on confirmed absence: the history query for this id answered, with no row (e.g. its deployment was
   * deleted with cascade). Any failure, a 404 included, is an error, never taken for proof of removal.
   */
  async read(instanceId: string): Promise<InstanceSnapshot | null> {
    return (await this.readMany([instanceId])).get(instanceId) ?? null;
  }

  /**
   * One entry per id asked for, null for those history confirms it has no record of (as in `read`). What was read
   * ahead is not asked again: known candidates (the import's index) and history rows (an import page).
   */
  async readMany(instanceIds: string[], ahead: ReadAhead = {}): Promise<Map<string, InstanceSnapshot | null>> {
    if (instanceIds.length > MAX_BATCH_READ) throw new Error(`A batch read takes at most ${MAX_BATCH_READ} instances, not ${instanceIds.length}`);
    const snapshots = new Map<string, InstanceSnapshot | null>(instanceIds.map((id) => [id, null]));
    if (instanceIds.length === 0) return snapshots;
    // One instance (a gateway write's own refresh): what needs only its id is read beside it, not after, to answer
    // sooner; an instance history turns out not to have wastes these reads.
    const single = instanceIds.length === 1 ? this.partsOf(instanceIds[0]) : undefined;
    const readAhead = (ahead.instances?.rows ?? []).filter((instance) => snapshots.has(instance.id));
    const alreadyRead = new Set(readAhead.map((instance) => instance.id));
    const unread = instanceIds.filter((id) => !alreadyRead.has(id));
    const read =
      unread.length > 0
        ? await this.historyClient.listHistoricProcessInstancesByStart({ processInstanceIds: unread }, { firstResult: 0, maxResults: unread.length })
        : [];
    const instances = [...readAhead, ...read];
    // An engine that ignored the id filter would answer with other instances: never mirror those under these ids.
    const stranger = instances.find((instance) => !snapshots.has(instance.id));
    if (stranger) throw new Error(`Engine answered the history query for instances ${instanceIds.slice(0, 3).join(', ')}… with instance ${stranger.id}`);
    if (instances.length === 0) return snapshots;
    const found = instances.map((instance) => instance.id);
    const [variables, incidents, tasks] = await Promise.all([
      single?.variables ?? this.variablesOf(found),
      single?.incidents ?? this.incidentsOf(found),
      this.tasksOf(instances, ahead.candidates, single?.tasks),
    ]);
    const variablesOf = groupBy(variables.map(toVariable), (variable) => variable.processInstanceId);
    instances.forEach((instance) => {
      const instanceVariables = variablesOf.get(instance.id) ?? [];
      snapshots.set(instance.id, {
        ...toInstance(instance),
        startedBy: startedByOf(instanceVariables, instance.startUserId, this.config.CAMUNDA_USER),
        tasks: tasks.get(instance.id) ?? [],
        variables: instanceVariables.map(({ processInstanceId: _, ...variable }) => variable),
        incidents: incidents.get(instance.id) ?? [],
      });
    });
    return withLoggedChanges(snapshots, ahead.logged);
  }

  /** One instance's variables, incidents and tasks, asked at once; a failure surfaces where they are awaited. */
  private partsOf(instanceId: string): {
    variables: Promise<EngineVariable[]>;
    incidents: Promise<Map<string, IncidentSnapshot[]>>;
    tasks: Promise<EngineTask[]>;
  } {
    const parts = { variables: this.variablesOf([instanceId]), incidents: this.incidentsOf([instanceId]), tasks: this.historicTasksOf(instanceId) };
    for (const part of Object.values(parts)) part.catch(() => undefined);
    return parts;
  }

  /**
   * History filters tasks by many business keys, not by many instance ids: instances with a key are read together
   * (unless their keys turn out to be shared by far more tasks than they have), the rest one by one.
   */
  private async tasksOf(
    instances: EngineProcessInstance[],
    known: KnownCandidates | undefined,
    alreadyRead?: Promise<EngineTask[]>,
  ): Promise<Map<string, TaskSnapshot[]>> {
    const keyed = alreadyRead || instances.length === 1 ? [] : instances.filter((instance) => instance.businessKey !== null);
    const [shared, unkeyed] = await Promise.all([
      this.tasksOfBusinessKeys(keyed),
      alreadyRead
        ? alreadyRead.then((tasks) => [tasks])
        : mapConcurrently(
            instances.filter((instance) => !keyed.includes(instance)),
            ENGINE_CONCURRENCY,
            (instance) => this.historicTasksOf(instance.id),
          ),
    ]);
    const single = shared ? unkeyed : [...unkeyed, ...(await mapConcurrently(keyed, ENGINE_CONCURRENCY, (instance) => this.historicTasksOf(instance.id)))];
    const ids = new Set(instances.map((instance) => instance.id));
    const tasks = [...(shared ?? []).filter((task) => task.processInstanceId !== null && ids.has(task.processInstanceId)), ...single.flat()];
    // History keeps no task suspension: a task is suspended exactly while its open instance is.
    const suspended = new Set(instances.filter((instance) => instance.state === InstanceState.Suspended).map((instance) => instance.id));
    const candidates = await this.candidatesOf(tasks, known);
    const snapshots = tasks.map((task) => toTaskSnapshot(task, suspended.has(task.processInstanceId!), candidates.get(task.id)));
    return groupBy(snapshots, (_, index) => tasks[index].processInstanceId!);
  }

  /**
   * Paged by offset over a sort the engine need not keep stable (variables of one name in several scopes), while
   * variables may come and go: rows read twice are kept once, and a read over several pages that does not add up to
   * the count fails, so the batch is read again instance by instance rather than losing a variable.
   */
  private async variablesOf(instanceIds: string[]): Promise<EngineVariable[]> {
    const rows = await allPages((firstResult, maxResults) => this.historyClient.listHistoricVariablesOf(instanceIds, { firstResult, maxResults }), LIST_PAGE);
    const distinct = [...new Map(rows.map((row) => [row.id, row])).values()];
    if (rows.length < LIST_PAGE) return distinct;
    const count = await this.historyClient.countHistoricVariablesOf(instanceIds);
    if (count !== distinct.length)
      throw new Error(`The variables of ${instanceIds.length} instances changed while they were read (${distinct.length} read, ${count} counted)`);
    return distinct;
  }

  /**
   * The tasks of all these instances' business keys, read page by page; null (read them per instance) once the
   * keys turn out to be shared by far more tasks than the instances have, which costs at most a page too many.
   */
  private async tasksOfBusinessKeys(instances: EngineProcessInstance[]): Promise<EngineTask[] | null> {
    if (instances.length === 0) return [];
    const keys = [...new Set(instances.map((instance) => instance.businessKey!))];
    const limit = TASKS_PER_INSTANCE_READ_TOGETHER * instances.length;
    const tasks: EngineTask[] = [];
    for (let firstResult = 0; ; firstResult += LIST_PAGE) {
      const page = await this.historyClient.listHistoricTasksOfBusinessKeys(keys, { firstResult, maxResults: LIST_PAGE });
      tasks.push(...page);
      if (tasks.length > limit) return null;
      if (page.length < LIST_PAGE) return tasks;
    }
  }

  private historicTasksOf(processInstanceId: string): Promise<EngineTask[]> {
    return allPages((firstResult, maxResults) => this.historyClient.listHistoricTasks({ processInstanceId, firstResult, maxResults }));
  }

  /**
   * The open tasks' candidates: from the known ones where there are, else from the engine, task by task. Of several
   * tasks to ask about, two list queries first tell which have any candidates at all; the others have none.
   */
  private async candidatesOf(tasks: EngineTask[], known: KnownCandidates | undefined): Promise<Map<string, TaskCandidates | undefined>> {
    const candidates = new Map<string, TaskCandidates | undefined>();
    const unknown: EngineTask[] = [];
    for (const task of tasks) {
      if (task.endedAt) continue;
      const knownOnes = known?.candidatesOf(task.id);
      if (knownOnes) candidates.set(task.id, knownOnes);
      else unknown.push(task);
    }
    let asked = unknown;
    if (unknown.length > 2) {
      const instanceIds = [...new Set(unknown.map((task) => task.processInstanceId!))];
      const withCandidates = await Promise.all(
        (['groups', 'users'] as const).map((of) =>
          allPages((firstResult, maxResults) => this.taskClient.listTaskIdsWithCandidates(instanceIds, of, { firstResult, maxResults }), LIST_PAGE),
        ),
      );
      const having = new Set(withCandidates.flat());
      asked = unknown.filter((task) => having.has(task.id));
      for (const task of unknown) if (!having.has(task.id)) candidates.set(task.id, { users: [], groups: [] });
    }
    const answers = await mapConcurrently(asked, ENGINE_CONCURRENCY, (task) => unlessUnknown(this.taskClient.getTaskCandidates(task.id)));
    asked.forEach((task, index) => candidates.set(task.id, answers[index]));
    return candidates;
  }

  /** Incidents are rare: one query finds which instances have any, and only those are asked for theirs. */
  private async incidentsOf(instanceIds: string[]): Promise<Map<string, IncidentSnapshot[]>> {
    const withIncidents =
      instanceIds.length === 1
        ? instanceIds
        : (
            await this.historyClient.listHistoricProcessInstancesByStart(
              { processInstanceIds: instanceIds, withIncidents: true },
              { firstResult: 0, maxResults: instanceIds.length },
            )
          ).map((instance) => instance.id);
    const lists = await mapConcurrently(withIncidents, ENGINE_CONCURRENCY, (processInstanceId) =>
      allPages((firstResult, maxResults) => this.historyClient.listHistoricIncidents({ processInstanceId, firstResult, maxResults })),
    );
    return new Map(withIncidents.map((id, index) => [id, lists[index].map(toIncident)]));
  }
}

/** Candidates undefined when the task ended, or ended before they were read: the mirror keeps what it had. */
function toTaskSnapshot(task: EngineTask, instanceSuspended: boolean, candidates: TaskCandidates | undefined): TaskSnapshot {
  return {
    id: task.id,
    name: task.name,
    description: task.description,
    taskDefinitionKey: task.taskDefinitionKey,
    assignee: task.assignee,
    owner: task.owner,
    candidateUsers: candidates?.users,
    candidateGroups: candidates?.groups,
    priority: task.priority,
    state: taskStateOf(task),
    suspended: instanceSuspended && !task.endedAt,
    createdAt: task.createdAt,
    dueAt: task.dueAt,
    followUpAt: task.followUpAt,
    endedAt: task.endedAt,
    tenantId: task.tenantId,
  };
}

function groupBy<T>(items: T[], keyOf: (item: T, index: number) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const [index, item] of items.entries()) {
    const key = keyOf(item, index);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function toVariable(variable: EngineVariable): VariableSnapshot & { processInstanceId: string } {
  const scope = variable.taskId ? 'task' : variable.executionId === variable.processInstanceId ? 'process' : 'local';
  return {
    id: variable.id,
    processInstanceId: variable.processInstanceId,
    name: variable.name,
    type: variable.type,
    value: variable.value,
    valueInfo: variable.valueInfo,
    scope,
    taskId: variable.taskId,
    activityInstanceId: variable.activityInstanceId,
  };
}

function toIncident({ id, type, message, activityId, configuration, annotation, state, createdAt, endedAt }: EngineHistoricIncident): IncidentSnapshot {
  return { id, type, message, activityId, configuration, annotation, state: state as IncidentState, createdAt, endedAt };
}

function toInstance(instance: EngineProcessInstance): Omit<InstanceSnapshot, 'tasks' | 'variables' | 'incidents' | 'startedBy'> {
  return {
    id: instance.id,
    definitionId: instance.definitionId,
    definitionKey: instance.definitionKey,
    businessKey: instance.businessKey,
    tenantId: instance.tenantId,
    state: instance.state,
    startedAt: instance.startedAt,
    endedAt: instance.endedAt,
    deleteReason: instance.deleteReason,
  };
}
