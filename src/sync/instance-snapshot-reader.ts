import { Injectable } from '@nestjs/common';
import { CamundaClient } from '../camunda/camunda-client.js';
import { CamundaError, CamundaErrorCode } from '../camunda/camunda.errors.js';
import type { EngineProcessInstance, EngineTask, TaskCandidates } from '../camunda/camunda.models.js';
import { taskStateOf, type InstanceSnapshot, type TaskSnapshot } from './instance-snapshot.js';

// History holds every task an instance ever had; a page this size covers any realistic instance in one call.
const TASK_PAGE = 500;

/** Reads one instance's full current state from the engine: history for states, runtime for candidates. */
@Injectable()
export class InstanceSnapshotReader {
  constructor(private readonly camunda: CamundaClient) {}

  /** Null when the engine has no record of the instance any more (e.g. its deployment was deleted with cascade). */
  async read(instanceId: string): Promise<InstanceSnapshot | null> {
    const instance = await this.camunda.findHistoricProcessInstance(instanceId);
    if (!instance) return null;
    const tasks: EngineTask[] = [];
    for (let first = 0; ; first += TASK_PAGE) {
      const page = await this.camunda.listHistoricTasks({ processInstanceId: instanceId, firstResult: first, maxResults: TASK_PAGE });
      tasks.push(...page);
      if (page.length < TASK_PAGE) break;
    }
    return { ...toInstance(instance), tasks: await Promise.all(tasks.map((task) => this.toTask(task))) };
  }

  private async toTask(task: EngineTask): Promise<TaskSnapshot> {
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
      createdAt: task.createdAt,
      dueAt: task.dueAt,
      followUpAt: task.followUpAt,
      endedAt: task.endedAt,
      tenantId: task.tenantId,
    };
  }

  private async candidatesOf(taskId: string): Promise<TaskCandidates | undefined> {
    try {
      return await this.camunda.getTaskCandidates(taskId);
    } catch (error) {
      // The task ended between the history read and this one; the next refresh sees it ended.
      if (error instanceof CamundaError && error.code === CamundaErrorCode.NotFound) return undefined;
      throw error;
    }
  }
}

function toInstance(instance: EngineProcessInstance): Omit<InstanceSnapshot, 'tasks'> {
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
