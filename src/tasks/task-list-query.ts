import type { SelectQueryBuilder } from 'typeorm';
import type { KeysetOptions, SortKey } from '../pagination/keyset-page.js';
import type { AccessScope } from '../auth/access-scope.js';
import { restrictToVisibleTasks } from './task-access.js';
import { whereEquals } from '../pagination/where-equals.js';
import { OPEN_TASK_STATES } from '../mirror/open-states.js';
import type { TaskRecord } from '../mirror/task.entity.js';
import type { TASK_SORT_FIELDS, TaskQueryDto } from './dto/task-query.dto.js';

export const TASK_SORT_KEYS: Record<(typeof TASK_SORT_FIELDS)[number], SortKey<TaskRecord>> = {
  created: { name: 'created', expression: 'task.created_at', sqlType: 'timestamptz', valueOf: (task) => task.createdAt.toISOString() },
  // Tasks without a due date sort last, as "no deadline".
  due: { name: 'due', expression: "COALESCE(task.due_at, 'infinity'::timestamptz)", sqlType: 'timestamptz', valueOf: (task) => task.dueAt?.toISOString() ?? 'infinity' },
  priority: { name: 'priority', expression: 'task.priority', sqlType: 'int', valueOf: (task) => task.priority },
  name: { name: 'name', expression: "COALESCE(task.name, '')", sqlType: 'text', valueOf: (task) => task.name ?? '' },
};

const DEFAULT_LIMIT = 100;

/** GET /tasks for this scope as one query (the page's window and order come from taskListKeyset). */
export function taskListQuery(builder: SelectQueryBuilder<TaskRecord>, scope: AccessScope, query: TaskQueryDto, groupsOfCandidateUser: string[]): SelectQueryBuilder<TaskRecord> {
  applyTaskFilters(builder, query, groupsOfCandidateUser);
  restrictToVisibleTasks(builder, scope);
  return builder;
}

export function taskListKeyset(query: TaskQueryDto): KeysetOptions<TaskRecord> {
  return {
    key: TASK_SORT_KEYS[query.sortBy ?? 'created'],
    idColumn: 'task.id',
    descending: query.sortOrder === 'desc',
    cursor: query.cursor,
    limit: query.limit ?? DEFAULT_LIMIT,
  };
}

/** The filters of GET /tasks, as SQL on the mirror. `groupsOfCandidateUser` is resolved by the caller. */
export function applyTaskFilters(builder: SelectQueryBuilder<TaskRecord>, query: TaskQueryDto, groupsOfCandidateUser: string[]): void {
  if (query.state) builder.andWhere('task.state = :state', { state: query.state });
  else builder.andWhere('task.state IN (:...open)', { open: OPEN_TASK_STATES });
  whereEquals(builder, 'task', {
    process_instance_id: query.processInstanceId,
    process_definition_key: query.processDefinitionKey,
    business_key: query.businessKey,
    tenant_id: query.tenantId,
    assignee: query.assignee,
    priority: query.priority,
    suspended: query.suspended,
  });
  if (query.unassigned) builder.andWhere('task.assignee IS NULL');
  // @> and && (not = ANY) let PostgreSQL use the GIN indexes on the candidate arrays.
  if (query.candidateGroup) builder.andWhere('task.candidate_groups @> ARRAY[CAST(:candidateGroup AS text)]', { candidateGroup: query.candidateGroup });
  if (query.candidateGroups?.length) builder.andWhere('task.candidate_groups && CAST(:candidateGroups AS text[])', { candidateGroups: query.candidateGroups });
  if (query.candidateUser) {
    builder.andWhere('(task.candidate_users @> ARRAY[CAST(:candidateUser AS text)] OR task.candidate_groups && CAST(:userGroups AS text[]))', {
      candidateUser: query.candidateUser,
      userGroups: groupsOfCandidateUser,
    });
  }
  if (query.nameLike) builder.andWhere(`task.name ILIKE :nameLike ESCAPE '\\'`, { nameLike: `%${query.nameLike.replace(/[\\%_]/g, '\\$&')}%` });
  if (query.createdAfter) builder.andWhere('task.created_at > :createdAfter', { createdAfter: query.createdAfter });
  if (query.createdBefore) builder.andWhere('task.created_at < :createdBefore', { createdBefore: query.createdBefore });
  if (query.dueAfter) builder.andWhere('task.due_at > :dueAfter', { dueAfter: query.dueAfter });
  if (query.dueBefore) builder.andWhere('task.due_at < :dueBefore', { dueBefore: query.dueBefore });
}
