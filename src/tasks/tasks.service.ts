import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';
import type { TaskComment, TypedVariables } from '../camunda/camunda.models.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { TaskRecord } from '../mirror/task.entity.js';
import { keysetPage, type Page } from '../pagination/keyset-page.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';
import { refuseStartedBy } from '../sync/started-by.js';
import type { UpdateTaskDto } from './dto/task-commands.dto.js';
import type { TaskQueryDto } from './dto/task-query.dto.js';
import { narrowCreatedRange, taskListKeyset, taskListQuery } from './task-list-query.js';
import { TaskView } from './task.view.js';
import { UserGroups } from './user-groups.js';
import { CommentAuthors } from './comment-authors.js';
import { notFound, TaskAccess, TaskCommand } from './task-access.js';
import type { AccessScope } from '../auth/access-scope.js';

/** Reads tasks from the mirror; every command goes to the engine, then refreshes the task's instance before answering. */
@Injectable()
export class TasksService {
  private readonly logger = new Logger(TasksService.name);

  constructor(
    private readonly historyClient: HistoryClient,
    private readonly taskClient: TaskClient,
    private readonly refresher: InstanceRefresher,
    private readonly userGroups: UserGroups,
    private readonly access: TaskAccess,
    private readonly commentAuthors: CommentAuthors,
    @InjectRepository(TaskRecord) private readonly tasks: Repository<TaskRecord>,
  ) {}

  async list(scope: AccessScope, query: TaskQueryDto): Promise<Page<TaskView>> {
    const groups = query.candidateUser ? await this.userGroups.of(query.candidateUser) : [];
    const builder = taskListQuery(this.tasks.createQueryBuilder('task'), scope, query, groups);
    return keysetPage(builder, { ...taskListKeyset(query, await narrowCreatedRange(this.tasks, query)), map: TaskView.of });
  }

  async get(scope: AccessScope, id: string): Promise<TaskView> {
    return TaskView.of(await this.findVisible(scope, id));
  }

  /** Claims for the caller; naming another user is acting for them. */
  claim(scope: AccessScope, id: string, userId: string | undefined): Promise<TaskView | AcceptedWrite> {
    const claimant = userId ?? scope.camundaUserId;
    const command = claimant === scope.camundaUserId ? TaskCommand.Work : TaskCommand.ActForOthers;
    return this.command(
      scope,
      id,
      command,
      'claim task',
      () => this.taskClient.claimTask(id, claimant),
      command === TaskCommand.ActForOthers ? claimant : null,
    );
  }

  unclaim(scope: AccessScope, id: string): Promise<TaskView | AcceptedWrite> {
    return this.command(scope, id, TaskCommand.Hold, 'unclaim task', () => this.taskClient.unclaimTask(id));
  }

  assign(scope: AccessScope, id: string, userId: string | null): Promise<TaskView | AcceptedWrite> {
    return this.command(scope, id, TaskCommand.ActForOthers, 'assign task', () => this.taskClient.setTaskAssignee(id, userId), userId);
  }

  delegate(scope: AccessScope, id: string, userId: string): Promise<TaskView | AcceptedWrite> {
    return this.command(scope, id, TaskCommand.Hold, 'delegate task', () => this.taskClient.delegateTask(id, userId), userId);
  }

  resolve(scope: AccessScope, id: string, variables?: Record<string, unknown>): Promise<TaskView | AcceptedWrite> {
    refuseStartedBy(Object.keys(variables ?? {}));
    return this.command(scope, id, TaskCommand.Hold, 'resolve task', () => this.taskClient.resolveTask(id, variables));
  }

  complete(scope: AccessScope, id: string, variables?: Record<string, unknown>): Promise<TaskView | AcceptedWrite> {
    refuseStartedBy(Object.keys(variables ?? {}));
    return this.command(scope, id, TaskCommand.Hold, 'complete task', () => this.taskClient.completeTask(id, variables));
  }

  update(scope: AccessScope, id: string, changes: UpdateTaskDto): Promise<TaskView | AcceptedWrite> {
    return this.command(scope, id, TaskCommand.ActForOthers, 'update task', () => this.taskClient.updateTask(id, changes));
  }

  async formVariables(scope: AccessScope, id: string): Promise<TypedVariables> {
    await this.access.checkCommand(scope, id, TaskCommand.Work);
    return this.taskClient.getTaskFormVariables(id);
  }

  async comments(scope: AccessScope, id: string): Promise<TaskComment[]> {
    await this.findVisible(scope, id);
    return this.commentAuthors.attribute(await this.taskClient.listTaskComments(id));
  }

  /** The comment is the caller's: the engine records the gateway's user, so the gateway records the author. */
  async addComment(scope: AccessScope, id: string, message: string): Promise<TaskComment> {
    await this.access.checkCommand(scope, id, TaskCommand.Work);
    const comment = await this.taskClient.addTaskComment(id, message);
    try {
      await this.commentAuthors.record(comment.id, scope.camundaUserId);
    } catch (error) {
      // The engine has the comment: a failure here must not make the caller write it twice.
      this.logger.warn(`Comment ${comment.id} was added, but its author could not be recorded: ${(error as Error).message}`);
    }
    return { ...comment, userId: scope.camundaUserId };
  }

  /** `recipient`: whom the command hands the task to, who must be a member of its workspace. */
  private async command(
    scope: AccessScope,
    id: string,
    kind: TaskCommand,
    command: string,
    send: () => Promise<void>,
    recipient: string | null = null,
  ): Promise<TaskView | AcceptedWrite> {
    const task = await this.access.checkCommand(scope, id, kind);
    if (recipient !== null) await this.access.recipientCheck(task, recipient);
    if (task.processInstanceId) this.refresher.expectChangeBy(task.processInstanceId, scope.actor);
    await send();
    return afterEngineAccepted(command, { id, processInstanceId: task.processInstanceId }, async () => {
      if (task.processInstanceId) await this.refresher.refreshInstance(task.processInstanceId, { actor: scope.actor });
      return TaskView.of(await this.tasks.findOneByOrFail({ id }));
    });
  }

  private async findVisible(scope: AccessScope, id: string): Promise<TaskRecord> {
    const task = await this.find(id);
    if (!this.access.canSee(scope, task)) throw notFound(id);
    return task;
  }

  /** From the mirror; a task the engine has and the mirror has not seen yet is fetched once through its instance. */
  private async find(id: string): Promise<TaskRecord> {
    const mirrored = await this.tasks.findOneBy({ id });
    if (mirrored) return mirrored;
    const [engineTask] = await this.historyClient.listHistoricTasks({ taskId: id, maxResults: 1 });
    if (engineTask?.processInstanceId) await this.refresher.refreshInstance(engineTask.processInstanceId);
    const refreshed = await this.tasks.findOneBy({ id });
    if (!refreshed) throw notFound(id);
    return refreshed;
  }
}
