import { Injectable } from '@nestjs/common';
import { allPages } from '../camunda/all-pages.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';
import { unlessUnknown } from '../camunda/camunda.errors.js';
import { GatewayConfig } from '../config/gateway-config.js';
import type { EngineProcessInstance, EngineTask, EngineVariable, TaskCandidates } from '../camunda/camunda.models.js';
import { IncidentState } from '../mirror/incident.entity.js';
import { InstanceState } from '../mirror/process-instance.entity.js';
import { taskStateOf, type InstanceSnapshot, type TaskSnapshot, type VariableSnapshot } from './instance-snapshot.js';
import { startedByOf } from './started-by.js';

/** Reads one instance's full current state from the engine: history for states, runtime for candidates. */
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
    const [instance] = await this.historyClient.listHistoricProcessInstances({ processInstanceIds: [instanceId], firstResult: 0, maxResults: 1 });
    if (!instance) return null;
    // An engine that ignored the id filter would answer with some other instance: never mirror that one under this id.
    if (instance.id !== instanceId) throw new Error(`Engine answered the history query for instance ${instanceId} with instance ${instance.id}`);
    const [tasks, variables, incidents] = await Promise.all([
      allPages((firstResult, maxResults) => this.historyClient.listHistoricTasks({ processInstanceId: instanceId, firstResult, maxResults })),
      allPages((firstResult, maxResults) => this.historyClient.listHistoricVariables({ processInstanceId: instanceId, firstResult, maxResults })),
      allPages((firstResult, maxResults) => this.historyClient.listHistoricIncidents({ processInstanceId: instanceId, firstResult, maxResults })),
    ]);
    const variableSnapshots = variables.map(toVariable);
    return {
      ...toInstance(instance),
      startedBy: startedByOf(variableSnapshots, instance.startUserId, this.config.CAMUNDA_USER),
      // History keeps no task suspension: a task is suspended exactly while its open instance is.
      tasks: await Promise.all(tasks.map((task) => this.toTask(task, instance.state === InstanceState.Suspended))),
      variables: variableSnapshots,
      incidents: incidents.map(({ id, type, message, activityId, configuration, annotation, state, createdAt, endedAt }) => ({
        id, type, message, activityId, configuration, annotation, state: state as IncidentState, createdAt, endedAt,
      })),
    };
  }

  private async toTask(task: EngineTask, instanceSuspended: boolean): Promise<TaskSnapshot> {
    const candidates = task.endedAt ? undefined : await this.candidatesOf(task.id);
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

  /** Undefined when the task ended between the history read and this one; the next refresh sees it ended. */
  private candidatesOf(taskId: string): Promise<TaskCandidates | undefined> {
    return unlessUnknown(this.taskClient.getTaskCandidates(taskId));
  }
}

function toVariable(variable: EngineVariable): VariableSnapshot {
  const scope = variable.taskId ? 'task' : variable.executionId === variable.processInstanceId ? 'process' : 'local';
  return {
    id: variable.id,
    name: variable.name,
    type: variable.type,
    value: variable.value,
    valueInfo: variable.valueInfo,
    scope,
    taskId: variable.taskId,
    activityInstanceId: variable.activityInstanceId,
  };
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
