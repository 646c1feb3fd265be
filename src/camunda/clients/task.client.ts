import { Injectable, Logger } from '@nestjs/common';
import type { OpenTask, OpenTaskState, PlainVariables, TaskCandidates, TaskComment, TaskHolder, TaskUpdate, TypedVariables } from '../camunda.models.js';
import type { CommentDto, IdentityLinkDto, TaskDto, UserOperationLogEntryDto, VariableMapDto } from '../engine-dto.js';
import { fromEngineDate, toEngineDate } from '../engine-date.js';
import { decodeTypedVariables, encodeVariables } from '../variable-codec.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath } from '../engine-path.js';
import { changedFields, fieldsOf, overwrittenFields, requestedFields, type TaskFields } from './task-update.js';

// A repair is itself a read and a write; a change landing in its window too is repaired once more, within reason.
const UPDATE_ROUNDS = 3;
const RECENT_UPDATE_ENTRIES = 50;

/** Runtime user tasks: life cycle, candidates, forms, comments; and the group memberships that candidacy depends on. */
@Injectable()
export class TaskClient {
  private readonly logger = new Logger(TaskClient.name);

  constructor(private readonly engine: EngineHttp) {}

  async getTaskCandidates(taskId: string): Promise<TaskCandidates> {
    const links = await this.engine.request<IdentityLinkDto[]>('read task identity links', {
      method: 'GET',
      url: enginePath`/task/${taskId}/identity-links`,
      params: { type: 'candidate' },
    });
    // The engine keeps a candidate added twice twice; the mirror holds candidates as a set.
    return {
      users: [...new Set(links.flatMap((link) => (link.userId ? [link.userId] : [])))],
      groups: [...new Set(links.flatMap((link) => (link.groupId ? [link.groupId] : [])))],
    };
  }

  /** Who holds a runtime task and where it lives, as the engine has it now (for checks before a command). */
  async getTaskHolder(taskId: string): Promise<TaskHolder> {
    const dto = await this.engine.request<TaskDto>('read task', { method: 'GET', url: enginePath`/task/${taskId}` });
    return { id: dto.id, processInstanceId: dto.processInstanceId, assignee: dto.assignee, owner: dto.owner, tenantId: dto.tenantId };
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
    await this.engine.request('resolve task', {
      method: 'POST',
      url: enginePath`/task/${taskId}/resolve`,
      data: { variables: encodeVariables(variables) ?? {} },
    });
  }

  /**
   * Sets due date, follow-up date and priority. Engine-rest only replaces a task whole (PUT), from a read made just
   * before, so a claim landing between the read and the write would be reverted: the user-operation log shows what
   * the write overwrote, and that is written back. Needs an engine that logs user operations (it does for
   * authenticated requests, which the gateway's are).
   */
  async updateTask(taskId: string, update: TaskUpdate): Promise<void> {
    const url = enginePath`/task/${taskId}`;
    let wanted: Partial<TaskFields> = requestedFields(update);
    let written = false;
    try {
      for (let round = 0; round < UPDATE_ROUNDS && Object.keys(wanted).length > 0; round++) {
        const current = fieldsOf(await this.engine.request<TaskDto>('read task', { method: 'GET', url }));
        const changed = changedFields(current, wanted);
        if (changed.length === 0) return;
        await this.engine.request('update task', { method: 'PUT', url, data: { ...current, ...wanted } });
        written = true;
        wanted = overwrittenFields(await this.listRecentTaskUpdates(taskId), changed);
      }
    } catch (error) {
      // Once the update is in, it must not be reported as failed (a retry would find nothing to do); only the
      // check for a concurrent change it may have overwritten is lost.
      if (!written) throw error;
      this.logger.warn(`Task ${taskId} was updated, but checking for a concurrent change it may have overwritten failed: ${(error as Error).message}`);
    }
  }

  /** The task's latest Update entries in the user-operation log, newest first. */
  private listRecentTaskUpdates(taskId: string): Promise<UserOperationLogEntryDto[]> {
    return this.engine.request<UserOperationLogEntryDto[]>('list task updates', {
      method: 'GET',
      url: enginePath`/history/user-operation`,
      params: { taskId, operationType: 'Update', sortBy: 'timestamp', sortOrder: 'desc', maxResults: RECENT_UPDATE_ENTRIES },
    });
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

  /** The open tasks of these instances that have candidate groups or candidate users (ids only). */
  async listTaskIdsWithCandidates(processInstanceIds: string[], of: 'groups' | 'users', page: { firstResult: number; maxResults: number }): Promise<string[]> {
    const dtos = await this.engine.request<{ id: string }[]>('list open tasks', {
      method: 'POST',
      url: enginePath`/task`,
      params: page,
      // Without includeAssignedTasks the engine drops every assigned task from a candidate filter.
      data: {
        processInstanceIdIn: processInstanceIds,
        includeAssignedTasks: true,
        ...(of === 'groups' ? { withCandidateGroups: true } : { withCandidateUsers: true }),
        sorting: [{ sortBy: 'id', sortOrder: 'asc' }],
      },
    });
    return dtos.map((dto) => dto.id);
  }

  /**
   * Open tasks created at or after a time, by creation then id (a keyset order). The engine's `createdAfter` is
   * exclusive: it is asked for a millisecond earlier.
   */
  async listOpenTasksByCreation(from: Date | null, page: { firstResult: number; maxResults: number }): Promise<OpenTaskState[]> {
    const dtos = await this.engine.request<(TaskDto & { created: string; suspended: boolean })[]>('list open tasks', {
      method: 'POST',
      url: enginePath`/task`,
      params: page,
      data: {
        ...(from ? { createdAfter: toEngineDate(new Date(from.getTime() - 1)) } : {}),
        sorting: [
          { sortBy: 'created', sortOrder: 'asc' },
          { sortBy: 'id', sortOrder: 'asc' },
        ],
      },
    });
    return dtos.map((dto) => ({
      id: dto.id,
      processInstanceId: dto.processInstanceId,
      name: dto.name,
      assignee: dto.assignee,
      priority: dto.priority,
      dueAt: fromEngineDate(dto.due),
      createdAt: fromEngineDate(dto.created),
      suspended: dto.suspended,
    }));
  }

  /** When the oldest open task was created, or null when no task is open. */
  async oldestOpenTaskCreatedAt(): Promise<Date | null> {
    const [oldest] = await this.engine.request<{ created: string }[]>('list open tasks', {
      method: 'POST',
      url: enginePath`/task`,
      params: { firstResult: 0, maxResults: 1 },
      data: { sorting: [{ sortBy: 'created', sortOrder: 'asc' }] },
    });
    return oldest ? fromEngineDate(oldest.created) : null;
  }

  /** Open user tasks (optionally only those changed since a time), by id so pages stay stable. */
  async listOpenTasks(query: { updatedAfter?: Date; firstResult: number; maxResults: number }): Promise<OpenTask[]> {
    const dtos = await this.engine.request<(TaskDto & { lastUpdated?: string | null })[]>('list open tasks', {
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
    return dtos.map((dto) => ({ id: dto.id, processInstanceId: dto.processInstanceId, assignee: dto.assignee, lastUpdated: fromEngineDate(dto.lastUpdated) }));
  }
}

function toComment(dto: CommentDto): TaskComment {
  return { id: dto.id, userId: dto.userId, message: dto.message, at: fromEngineDate(dto.time) };
}
