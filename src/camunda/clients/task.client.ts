import { Injectable } from '@nestjs/common';
import type {
  OpenTask,
  PlainVariables,
  TaskCandidates,
  TaskComment,
  TaskUpdate,
  TypedVariables,
} from '../camunda.models.js';
import type {
  CommentDto,
  GroupDto,
  IdentityLinkDto,
  TaskDto,
  VariableMapDto,
} from '../engine-dto.js';
import { fromEngineDate, toEngineDate } from '../engine-date.js';
import { decodeTypedVariables, encodeVariables } from '../variable-codec.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath } from '../engine-path.js';

/** Runtime user tasks: life cycle, candidates, forms, comments; and the group memberships that candidacy depends on. */
@Injectable()
export class TaskClient {
  constructor(private readonly engine: EngineHttp) {}

  async getTaskCandidates(taskId: string): Promise<TaskCandidates> {
    const links = await this.engine.request<IdentityLinkDto[]>('read task identity links', {
      method: 'GET',
      url: enginePath`/task/${taskId}/identity-links`,
      params: { type: 'candidate' },
    });
    return {
      users: links.flatMap((link) => (link.userId ? [link.userId] : [])),
      groups: links.flatMap((link) => (link.groupId ? [link.groupId] : [])),
    };
  }

  async claimTask(taskId: string, userId: string): Promise<void> {
    await this.engine.request('claim task', { method: 'POST', url: enginePath`/task/${taskId}/claim`, data: { userId } });
  }

  async completeTask(taskId: string, variables?: PlainVariables): Promise<void> {
    await this.engine.request('complete task', {
      method: 'POST',
      url: enginePath`/task/${taskId}/complete`,
      data: { variables: encodeVariables(variables) ?? {} },
    });
  }

  async unclaimTask(taskId: string): Promise<void> {
    await this.engine.request('unclaim task', { method: 'POST', url: enginePath`/task/${taskId}/unclaim` });
  }

  /** Sets or (with null) clears the assignee, whoever holds the task. */
  async setTaskAssignee(taskId: string, userId: string | null): Promise<void> {
    await this.engine.request('assign task', { method: 'POST', url: enginePath`/task/${taskId}/assignee`, data: { userId } });
  }

  async delegateTask(taskId: string, userId: string): Promise<void> {
    await this.engine.request('delegate task', { method: 'POST', url: enginePath`/task/${taskId}/delegate`, data: { userId } });
  }

  async resolveTask(taskId: string, variables?: PlainVariables): Promise<void> {
    await this.engine.request('resolve task', { method: 'POST', url: enginePath`/task/${taskId}/resolve`, data: { variables: encodeVariables(variables) ?? {} } });
  }

  async updateTask(taskId: string, update: TaskUpdate): Promise<void> {
    const url = enginePath`/task/${taskId}`;
    const current = await this.engine.request<TaskDto>('read task', { method: 'GET', url });
    const data = {
      name: current.name,
      description: current.description,
      assignee: current.assignee,
      owner: current.owner,
      delegationState: current.delegationState,
      due: update.dueAt === undefined ? current.due : update.dueAt && toEngineDate(update.dueAt),
      followUp: update.followUpAt === undefined ? current.followUp : update.followUpAt && toEngineDate(update.followUpAt),
      priority: update.priority ?? current.priority,
      parentTaskId: current.parentTaskId,
      caseInstanceId: current.caseInstanceId,
      tenantId: current.tenantId,
    };
    await this.engine.request('update task', { method: 'PUT', url, data });
  }

  async getTaskFormVariables(taskId: string): Promise<TypedVariables> {
    const url = enginePath`/task/${taskId}/form-variables`;
    return decodeTypedVariables(await this.engine.request<VariableMapDto>('read form variables', { method: 'GET', url, params: { deserializeValues: false } }));
  }

  async listTaskComments(taskId: string): Promise<TaskComment[]> {
    const dtos = await this.engine.request<CommentDto[]>('list task comments', { method: 'GET', url: enginePath`/task/${taskId}/comment` });
    return dtos.map(toComment);
  }

  async addTaskComment(taskId: string, message: string): Promise<TaskComment> {
    const url = enginePath`/task/${taskId}/comment/create`;
    return toComment(await this.engine.request<CommentDto>('add task comment', { method: 'POST', url, data: { message } }));
  }

  async listGroupIdsOfMember(userId: string): Promise<string[]> {
    const groups = await this.engine.request<GroupDto[]>('list groups of user', { method: 'GET', url: enginePath`/group`, params: { member: userId } });
    return groups.map((group) => group.id);
  }

  /** Open user tasks (optionally only those changed since a time), by id so pages stay stable. */
  async listOpenTasks(query: { updatedAfter?: Date; firstResult: number; maxResults: number }): Promise<OpenTask[]> {
    const dtos = await this.engine.request<TaskDto[]>('list open tasks', {
      method: 'GET',
      url: enginePath`/task`,
      params: {
        updatedAfter: query.updatedAfter && toEngineDate(query.updatedAfter),
        sortBy: 'id',
        sortOrder: 'asc',
        firstResult: query.firstResult,
        maxResults: query.maxResults,
      },
    });
    return dtos.map((dto) => ({ id: dto.id, processInstanceId: dto.processInstanceId, assignee: dto.assignee }));
  }
}

function toComment(dto: CommentDto): TaskComment {
  return { id: dto.id, userId: dto.userId, message: dto.message, at: fromEngineDate(dto.time) };
}
