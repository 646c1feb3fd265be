import { DataSource, type Repository } from 'typeorm';
import { AccessScope } from '../src/auth/access-scope.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { Role, type Caller } from '../src/identity/caller.js';
import { isOpenTask } from '../src/mirror/open-states.js';
import { TaskRecord } from '../src/mirror/task.entity.js';
import { keysetPage } from '../src/pagination/keyset-page.js';
import { TASK_SORT_FIELDS, type TaskQueryDto } from '../src/tasks/dto/task-query.dto.js';
import { TaskAccess } from '../src/tasks/task-access.js';
import { narrowCreatedRange, TASK_SORT_KEYS, taskListKeyset, taskListQuery } from '../src/tasks/task-list-query.js';
import { freshDatabase } from './support/own-database.js';

const ROWS = 3_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00Z');

function caller(workspaces: { tenantId: string; roles: Role[]; groups?: string[] }[]): Caller {
  return {
    identity: { kind: 'user', issuer: 'i', localId: 'l', username: 'u', name: null, email: null, grants: [] },
    camundaUserId: 'user7',
    admin: false,
    workspaces: workspaces.map(({ tenantId, roles, groups }) => ({ workspaceId: tenantId, tenantId, roles, camundaGroupIds: groups ?? [] })),
  };
}

/**
 * GET /tasks's SQL (filters, the caller's restriction, the keyset pages, the range plan) against the same rules
 * written plainly in TypeScript, over a seeded table: every page of every sort must hold exactly the tasks the rules
 * select, in the rules' order.
 */
describe('task list queries select what the rules say', () => {
  let dataSource: DataSource;
  let tasks: Repository<TaskRecord>;
  let all: TaskRecord[];
  const access = new TaskAccess({} as never, {} as never);
  const scopes = {
    approver: AccessScope.of(caller([{ tenantId: 't1', roles: [Role.Approver], groups: ['g2'] }]), undefined),
    operatorAndApprover: AccessScope.of(
      caller([
        { tenantId: 't1', roles: [Role.Operator] },
        { tenantId: 't2', roles: [Role.Approver], groups: ['g1', 'g3'] },
      ]),
      undefined,
    ),
    twoApprovers: AccessScope.of(
      caller([
        { tenantId: 't1', roles: [Role.Approver], groups: ['g1'] },
        { tenantId: 't2', roles: [Role.Approver] },
      ]),
      undefined,
    ),
    requester: AccessScope.of(caller([{ tenantId: 't1', roles: [Role.Requester] }]), undefined),
  };

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(await freshDatabase('camunda_gateway_task_list_semantics')));
    await dataSource.initialize();
    tasks = dataSource.getRepository(TaskRecord);
    // Ids zero-padded and names of letters only: their SQL order (C collation or not) is JavaScript's.
    await dataSource.query(
      `
      INSERT INTO tasks (id, process_definition_key, business_key, name, assignee, owner, candidate_users, candidate_groups, priority, state,
                         suspended, created_at, due_at, tenant_id, last_synced_at)
      SELECT 't' || lpad(n::text, 5, '0'), 'key' || (n % 3), 'BK' || (n % 50), CASE WHEN n % 11 = 0 THEN NULL ELSE (ARRAY['alpha', 'beta', 'gamma'])[1 + n % 3] END,
             CASE WHEN n % 4 = 0 THEN 'user' || (n % 9) END, CASE WHEN n % 13 = 0 THEN 'user7' END,
             CASE WHEN n % 5 = 0 THEN ARRAY['user7'] ELSE '{}' END, ARRAY['g' || (n % 4)], n % 7,
             CASE WHEN n % 10 = 0 THEN 'COMPLETED' WHEN n % 4 = 0 THEN 'ASSIGNED' ELSE 'CREATED' END, n % 17 = 0,
             to_timestamp($1::float8 / 1000) - (n % 400) * interval '1 hour',
             CASE WHEN n % 3 = 0 THEN NULL ELSE to_timestamp($1::float8 / 1000) + ((n % 61) - 30) * interval '1 day' END,
             CASE WHEN n % 6 = 5 THEN NULL ELSE 't' || (n % 3) END, now()
      FROM generate_series(1, ${ROWS}) AS n`,
      [NOW],
    );
    await dataSource.query('ANALYZE tasks');
    all = await tasks.find();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  /** Every page, following the cursors, as the gateway would read them. */
  async function listAll(scope: AccessScope, query: TaskQueryDto): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const pageQuery = { ...query, cursor, limit: 400 };
      const builder = taskListQuery(tasks.createQueryBuilder('task'), scope, pageQuery, []);
      const page = await keysetPage(builder, { ...taskListKeyset(pageQuery, await narrowCreatedRange(tasks, pageQuery)), map: (task) => task.id });
      ids.push(...page.items);
      if (!page.nextCursor) return ids;
      cursor = page.nextCursor;
    }
  }

  function expected(scope: AccessScope | null, query: TaskQueryDto, matches: (task: TaskRecord) => boolean): string[] {
    const key = TASK_SORT_KEYS[query.sortBy ?? 'created'];
    const direction = query.sortOrder === 'desc' ? -1 : 1;
    return all
      .filter((task) => isOpenTask(task.state) && (scope === null || access.canSee(scope, task)) && matches(task))
      .sort((a, b) => {
        const [x, y] = [key.valueOf(a), key.valueOf(b)];
        const byKey = typeof x === 'number' ? x - (y as number) : x === y ? 0 : x === 'infinity' ? 1 : y === 'infinity' ? -1 : x < y ? -1 : 1;
        return direction * (byKey !== 0 ? byKey : a.id < b.id ? -1 : 1);
      })
      .map((task) => task.id);
  }

  it('restricts every kind of caller to the tasks canSee allows, with and without a tenant filter', async () => {
    for (const [who, scope] of Object.entries(scopes)) {
      for (const tenantId of [undefined, 't1', 't2', 't0']) {
        const query = { tenantId, sortBy: 'priority', sortOrder: 'desc' } as TaskQueryDto;
        const ids = await listAll(scope, query);
        expect({ who, tenantId, ids }).toEqual({ who, tenantId, ids: expected(scope, query, (task) => tenantId === undefined || task.tenantId === tenantId) });
      }
    }
  });

  it('reads due-date filters as the due date itself: a task without one matches neither', async () => {
    const after = new Date(NOW - 5 * DAY);
    const before = new Date(NOW + 5 * DAY);
    for (const sortBy of TASK_SORT_FIELDS) {
      for (const sortOrder of ['asc', 'desc'] as const) {
        const query = { dueAfter: after, dueBefore: before, sortBy, sortOrder } as TaskQueryDto;
        const inWindow = (task: TaskRecord) => task.dueAt !== null && task.dueAt > after && task.dueAt < before;
        expect(await listAll(scopes.operatorAndApprover, query)).toEqual(expected(scopes.operatorAndApprover, query, inWindow));
        const onlyAfter = { dueAfter: after, sortBy, sortOrder } as TaskQueryDto;
        expect(await listAll(scopes.operatorAndApprover, onlyAfter)).toEqual(
          expected(scopes.operatorAndApprover, onlyAfter, (task) => task.dueAt !== null && task.dueAt > after),
        );
      }
    }
  });

  it('pages a creation-time range the same whether it reads the range or walks the sort', async () => {
    const narrow = new Date(NOW - 24 * 3_600_000);
    const wide = new Date(NOW - 1_000 * 3_600_000);
    expect(await narrowCreatedRange(tasks, { createdAfter: narrow, sortBy: 'due' })).toBe(true);
    expect(await narrowCreatedRange(tasks, { createdAfter: wide, sortBy: 'due' })).toBe(false);
    for (const createdAfter of [narrow, wide]) {
      for (const sortBy of TASK_SORT_FIELDS) {
        for (const sortOrder of ['asc', 'desc'] as const) {
          const query = { createdAfter, sortBy, sortOrder } as TaskQueryDto;
          expect(await listAll(scopes.approver, query)).toEqual(expected(scopes.approver, query, (task) => task.createdAt > createdAfter));
        }
      }
    }
  });
});
