import { Injectable } from '@nestjs/common';
import type { SelectQueryBuilder } from 'typeorm';
import type { TaskHolder } from '../camunda/camunda.models.js';
import { unlessUnknown } from '../camunda/camunda.errors.js';
import { IdentityClient } from '../camunda/clients/identity.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';
import type { AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';
import type { TaskRecord } from '../mirror/task.entity.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { candidateClause } from './candidate-guards.js';

/** What a command does to a task's holder, which decides who may send it. */
export enum TaskCommand {
  /** Claim for oneself, comment, read forms. */
  Work = 'work',
  /** Unclaim, delegate, resolve, complete: only the holder, unless one may act for others. */
  Hold = 'hold',
  /** Assign, update, claim for someone else. */
  ActForOthers = 'act-for-others',
}

type TaskPeople = Pick<TaskRecord, 'tenantId' | 'assignee' | 'owner' | 'candidateUsers' | 'candidateGroups'>;

/**
 * Who may see and work a task: operators every task of their workspaces; approvers the tasks they hold, own
 * or are candidates for (as a user, or through the groups of their roles there). Anything else is not found.
 */
@Injectable()
export class TaskAccess {
  constructor(
    private readonly taskClient: TaskClient,
    private readonly identityClient: IdentityClient,
  ) {}

  canSee(scope: AccessScope, task: TaskPeople): boolean {
    if (scope.reaches(task.tenantId, Role.Operator)) return true;
    if (!scope.reaches(task.tenantId, Role.Approver)) return false;
    const me = scope.camundaUserId;
    const groups = scope.groupsIn(task.tenantId);
    return task.assignee === me || task.owner === me || task.candidateUsers.includes(me) || task.candidateGroups.some((group) => groups.includes(group));
  }

  /** Someone a task is handed to (claim for, assign, delegate) must be a member of its workspace, or it is stuck. */
  async recipientCheck(holder: TaskHolder, userId: string): Promise<void> {
    if (holder.tenantId === null) return;
    if ((await this.identityClient.listTenantIdsOfUser(userId)).includes(holder.tenantId)) return;
    const message = `'${userId}' is not a member of the task's workspace`;
    throw new GatewayError(GatewayErrorCode.ValidationFailed, message, [{ field: 'userId', messages: [message] }]);
  }

  /**
   * Checks a command against the task as the engine has it now (the mirror may lag an out-of-band claim).
   * A task the caller may not see is not found; one held by someone else is refused.
   */
  async checkCommand(scope: AccessScope, taskId: string, command: TaskCommand): Promise<TaskHolder> {
    const holder = await unlessUnknown(this.taskClient.getTaskHolder(taskId));
    // Unknown and out of reach must read the same, or the answer tells which tasks exist.
    if (!holder) throw notFound(taskId);
    const mayActForOthers = scope.reaches(holder.tenantId, Role.Operator);
    if (!mayActForOthers) {
      const candidates = await this.taskClient.getTaskCandidates(taskId);
      const visible = this.canSee(scope, { ...holder, candidateUsers: candidates.users, candidateGroups: candidates.groups });
      if (!visible) throw notFound(taskId);
      if (command === TaskCommand.ActForOthers) throw new GatewayError(GatewayErrorCode.AccessDenied, 'Only operators may act on tasks for someone else');
      if (command === TaskCommand.Hold && holder.assignee !== scope.camundaUserId) {
        throw new GatewayError(GatewayErrorCode.TaskHeldByOther, holder.assignee ? 'The task is held by someone else' : 'Claim the task first');
      }
    }
    return holder;
  }
}

/**
 * Limits a mirror query to the tasks the scope may see (the SQL form of TaskAccess.canSee). The tenants come first
 * as a condition of their own, an equality for the usual one workspace, so the (tenant, sort key) indexes bound the walk.
 * `onlyTenant`: the tenant the query asks for, if any; its own filter says the same, this keeps the condition one.
 */
export function restrictToVisibleTasks(builder: SelectQueryBuilder<TaskRecord>, scope: AccessScope, onlyTenant?: string): void {
  if (scope.engineWide) return;
  const asked = (tenantId: string) => onlyTenant === undefined || tenantId === onlyTenant;
  const operatorTenants = scope.tenantsWhere(Role.Operator).filter(asked);
  const approverTenants = scope.tenantsWhere(Role.Approver).filter((tenantId) => asked(tenantId) && !operatorTenants.includes(tenantId));
  const tenants = [...operatorTenants, ...approverTenants];
  if (tenants.length === 1) builder.andWhere('task.tenant_id = :visibleTenant', { visibleTenant: tenants[0] });
  else builder.andWhere('task.tenant_id = ANY(CAST(:visibleTenants AS text[]))', { visibleTenants: tenants });
  if (approverTenants.length === 0) return;
  const clauses = operatorTenants.length > 0 ? ['task.tenant_id = ANY(CAST(:operatorTenants AS text[]))'] : [];
  const parameters: Record<string, unknown> = { operatorTenants, me: scope.camundaUserId };
  approverTenants.forEach((tenantId, index) => {
    const groups = scope.groupsIn(tenantId);
    clauses.push(
      `(task.tenant_id = :approverTenant${index} AND (task.assignee = :me OR task.owner = :me OR ${candidateClause('me', `approverGroups${index}`, groups)}))`,
    );
    parameters[`approverTenant${index}`] = tenantId;
    if (groups.length > 0) parameters[`approverGroups${index}`] = groups;
  });
  builder.andWhere(`(${clauses.join(' OR ')})`, parameters);
}

export function notFound(taskId: string): GatewayError {
  return new GatewayError(GatewayErrorCode.ResourceNotFound, `Task '${taskId}' does not exist`);
}
