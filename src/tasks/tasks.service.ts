import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CamundaClient } from '../camunda/camunda-client.js';
import { TaskRecord, TaskState } from '../mirror/task.entity.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { SyncService } from '../sync/sync.service.js';
import type { TaskQueryDto } from './dto/task-query.dto.js';
import { TaskView } from './task.view.js';

const DEFAULT_LIMIT = 100;

@Injectable()
export class TasksService {
  constructor(
    private readonly camunda: CamundaClient,
    private readonly sync: SyncService,
    @InjectRepository(TaskRecord) private readonly tasks: Repository<TaskRecord>,
  ) {}

  async list(query: TaskQueryDto): Promise<TaskView[]> {
    const builder = this.tasks.createQueryBuilder('task').orderBy('task.created_at', 'ASC').addOrderBy('task.id', 'ASC').limit(query.limit ?? DEFAULT_LIMIT);
    if (query.state) builder.andWhere('task.state = :state', { state: query.state });
    else builder.andWhere('task.state IN (:...open)', { open: [TaskState.Created, TaskState.Assigned] });
    if (query.processInstanceId) builder.andWhere('task.process_instance_id = :processInstanceId', { processInstanceId: query.processInstanceId });
    if (query.assignee) builder.andWhere('task.assignee = :assignee', { assignee: query.assignee });
    if (query.candidateGroup) builder.andWhere(':candidateGroup = ANY(task.candidate_groups)', { candidateGroup: query.candidateGroup });
    return (await builder.getMany()).map(TaskView.of);
  }

  async get(id: string): Promise<TaskView> {
    return TaskView.of(await this.find(id));
  }

  async claim(id: string, userId: string): Promise<TaskView> {
    const task = await this.find(id);
    await this.camunda.claimTask(id, userId);
    return this.refreshed(task);
  }

  async complete(id: string, variables?: Record<string, unknown>): Promise<TaskView> {
    const task = await this.find(id);
    await this.camunda.completeTask(id, variables);
    return this.refreshed(task);
  }

  /** From the mirror; a task the engine has and the mirror has not seen yet is fetched once through its instance. */
  private async find(id: string): Promise<TaskRecord> {
    const mirrored = await this.tasks.findOneBy({ id });
    if (mirrored) return mirrored;
    const [engineTask] = await this.camunda.listHistoricTasks({ taskId: id, maxResults: 1 });
    if (engineTask?.processInstanceId) await this.sync.refreshInstance(engineTask.processInstanceId);
    const refreshed = await this.tasks.findOneBy({ id });
    if (!refreshed) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `Task '${id}' does not exist`);
    return refreshed;
  }

  private async refreshed(task: TaskRecord): Promise<TaskView> {
    if (task.processInstanceId) await this.sync.refreshInstance(task.processInstanceId);
    return TaskView.of(await this.tasks.findOneByOrFail({ id: task.id }));
  }
}
