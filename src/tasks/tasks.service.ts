import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';
import type { TaskComment, TypedVariables } from '../camunda/camunda.models.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { TaskRecord } from '../mirror/task.entity.js';
import { keysetPage, type Page } from '../pagination/keyset-page.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { SyncService } from '../sync/sync.service.js';
import type { UpdateTaskDto } from './dto/task-commands.dto.js';
import type { TaskQueryDto } from './dto/task-query.dto.js';
import { applyTaskFilters, TASK_SORT_KEYS } from './task-list-query.js';
import { TaskView } from './task.view.js';
import { UserGroups } from './user-groups.js';

const DEFAULT_LIMIT = 100;

/** Reads tasks from the mirror; every command goes to the engine, then refreshes the task's instance before answering. */
@Injectable()
export class TasksService {
  constructor(
    private readonly historyClient: HistoryClient,
    private readonly taskClient: TaskClient,
    private readonly sync: SyncService,
    private readonly userGroups: UserGroups,
    @InjectRepository(TaskRecord) private readonly tasks: Repository<TaskRecord>,
  ) {}

  async list(query: TaskQueryDto): Promise<Page<TaskView>> {
    const builder = this.tasks.createQueryBuilder('task');
    applyTaskFilters(builder, query, query.candidateUser ? await this.userGroups.of(query.candidateUser) : []);
    return keysetPage(builder, {
      key: TASK_SORT_KEYS[query.sortBy ?? 'created'],
      idColumn: 'task.id',
      descending: query.sortOrder === 'desc',
      cursor: query.cursor,
      limit: query.limit ?? DEFAULT_LIMIT,
      map: TaskView.of,
    });
  }

  async get(id: string): Promise<TaskView> {
    return TaskView.of(await this.find(id));
  }

  claim(id: string, userId: string): Promise<TaskView | AcceptedWrite> {
    return this.command(id, 'claim task', () => this.taskClient.claimTask(id, userId));
  }

  unclaim(id: string): Promise<TaskView | AcceptedWrite> {
    return this.command(id, 'unclaim task', () => this.taskClient.unclaimTask(id));
  }

  assign(id: string, userId: string | null): Promise<TaskView | AcceptedWrite> {
    return this.command(id, 'assign task', () => this.taskClient.setTaskAssignee(id, userId));
  }

  delegate(id: string, userId: string): Promise<TaskView | AcceptedWrite> {
    return this.command(id, 'delegate task', () => this.taskClient.delegateTask(id, userId));
  }

  resolve(id: string, variables?: Record<string, unknown>): Promise<TaskView | AcceptedWrite> {
    return this.command(id, 'resolve task', () => this.taskClient.resolveTask(id, variables));
  }

  complete(id: string, variables?: Record<string, unknown>): Promise<TaskView | AcceptedWrite> {
    return this.command(id, 'complete task', () => this.taskClient.completeTask(id, variables));
  }

  update(id: string, changes: UpdateTaskDto): Promise<TaskView | AcceptedWrite> {
    return this.command(id, 'update task', () => this.taskClient.updateTask(id, changes));
  }

  async formVariables(id: string): Promise<TypedVariables> {
    return this.taskClient.getTaskFormVariables(id);
  }

  comments(id: string): Promise<TaskComment[]> {
    return this.taskClient.listTaskComments(id);
  }

  addComment(id: string, message: string): Promise<TaskComment> {
    return this.taskClient.addTaskComment(id, message);
  }

  private async command(id: string, command: string, send: () => Promise<void>): Promise<TaskView | AcceptedWrite> {
    const task = await this.find(id);
    await send();
    return afterEngineAccepted(command, { id, processInstanceId: task.processInstanceId }, async () => {
      if (task.processInstanceId) await this.sync.refreshInstance(task.processInstanceId);
      return TaskView.of(await this.tasks.findOneByOrFail({ id }));
    });
  }

  /** From the mirror; a task the engine has and the mirror has not seen yet is fetched once through its instance. */
  private async find(id: string): Promise<TaskRecord> {
    const mirrored = await this.tasks.findOneBy({ id });
    if (mirrored) return mirrored;
    const [engineTask] = await this.historyClient.listHistoricTasks({ taskId: id, maxResults: 1 });
    if (engineTask?.processInstanceId) await this.sync.refreshInstance(engineTask.processInstanceId);
    const refreshed = await this.tasks.findOneBy({ id });
    if (!refreshed) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `Task '${id}' does not exist`);
    return refreshed;
  }
}
