import type { Repository, SelectQueryBuilder } from 'typeorm';
import { withoutIndex, type KeysetOptions, type SortKey } from '../pagination/keyset-page.js';
import type { AccessScope } from '../auth/access-scope.js';
import { restrictToVisibleTasks } from './task-access.js';
import { whereEquals } from '../pagination/where-equals.js';
import { OPEN_TASK_STATES } from '../mirror/open-states.js';
import type { TaskRecord } from '../mirror/task.entity.js';
import type { TASK_SORT_FIELDS, TaskQueryDto } from './dto/task-query.dto.js';
import { candidateClause } from './candidate-guards.js';

// Tasks without a due date sort last, as "no deadline".
const DUE = "COALESCE(task.due_at, 'infinity'::timestamptz)";

export const TASK_SORT_KEYS: Record<(typeof TASK_SORT_FIELDS)[number], SortKey<TaskRecord>> = {
  created: { name: 'created', expression: 'task.created_at', sqlType: 'timestamptz', valueOf: (task) => task.createdAt.toISOString() },
  due: { name: 'due', expression: DUE, sqlType: 'timestamptz', valueOf: (task) => task.dueAt?.toISOString() ?? 'infinity' },
  priority: { name: 'priority', expression: 'task.priority', sqlType: 'int', valueOf: (task) => task.priority },
  name: { name: 'name', expression: "COALESCE(task.name, '')", sqlType: 'text', valueOf: (task) => task.name ?? '' },
};

const DEFAULT_LIMIT = 100;
/** At most this many tasks in a creation-time range count as few: reading them all and sorting is then the quick way. */
const NARROW_CREATED_RANGE = 2_000;

/** GET /tasks for this scope as one query (the page's window and order come from taskListKeyset). */
export function taskListQuery(
  builder: SelectQueryBuilder<TaskRecord>,
  scope: AccessScope,
  query: TaskQueryDto,
  groupsOfCandidateUser: string[],
): SelectQueryBuilder<TaskRecord> {
  applyTaskFilters(builder, query, groupsOfCandidateUser);
  restrictToVisibleTasks(builder, scope, query.tenantId);
  return builder;
}

/** `readsCreatedRange`: what narrowCreatedRange said about this query. */
export function taskListKeyset(query: TaskQueryDto, readsCreatedRange = false): KeysetOptions<TaskRecord> {
  const key = TASK_SORT_KEYS[query.sortBy ?? 'created'];
  return {
    key: readsCreatedRange ? withoutIndex(key) : key,
    idColumn: 'task.id',
    descending: query.sortOrder === 'desc',
    cursor: query.cursor,
    limit: query.limit ?? DEFAULT_LIMIT,
  };
}

/**
 * Whether a page filtered by creation time but sorted by something else should read that range and sort it. The
 * planner costs walking the sort key's index as if the range's tasks were spread evenly along it; they are not
 * (recent tasks have late due dates), and such a walk passes most of the table to find 50 recent tasks. One capped,
 * index-only count tells.
 */
export async function narrowCreatedRange(tasks: Repository<TaskRecord>, query: TaskQueryDto): Promise<boolean> {
  if ((query.sortBy ?? 'created') === 'created' || (!query.createdAfter && !query.createdBefore)) return false;
  const range = tasks.createQueryBuilder('task').select('1');
  applyCreatedRange(range, query);
  const [sql, parameters] = range.limit(NARROW_CREATED_RANGE + 1).getQueryAndParameters();
  const [{ count }] = await tasks.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM (${sql}) AS range`, parameters);
  return count <= NARROW_CREATED_RANGE;
}

function applyCreatedRange(builder: SelectQueryBuilder<TaskRecord>, query: TaskQueryDto): void {
  if (query.createdAfter) builder.andWhere('task.created_at > :createdAfter', { createdAfter: query.createdAfter });
  if (query.createdBefore) builder.andWhere('task.created_at < :createdBefore', { createdBefore: query.createdBefore });
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
    builder.andWhere(`(${candidateClause('candidateUser', 'userGroups', groupsOfCandidateUser)})`, {
      candidateUser: query.candidateUser,
      userGroups: groupsOfCandidateUser,
    });
  }
  if (query.nameLike) builder.andWhere(`task.name ILIKE :nameLike ESCAPE '\\'`, { nameLike: `%${query.nameLike.replace(/[\\%_]/g, '\\$&')}%` });
  applyCreatedRange(builder, query);
  // On the due sort's expression, so its index bounds the walk; a task without a due date matches neither filter.
  if (query.dueAfter) builder.andWhere(`${DUE} > :dueAfter AND ${DUE} < 'infinity'::timestamptz`, { dueAfter: query.dueAfter });
  if (query.dueBefore) builder.andWhere(`${DUE} < :dueBefore`, { dueBefore: query.dueBefore });
}
