import { DataSource, type QueryRunner } from 'typeorm';
import { AccessScope } from '../src/auth/access-scope.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { freshDatabase } from './support/own-database.js';
import { incidentListQuery } from '../src/incidents/incident-list-query.js';
import { Role, type Caller } from '../src/identity/caller.js';
import { IncidentRecord, IncidentState } from '../src/mirror/incident.entity.js';
import { InstanceState, ProcessInstanceRecord } from '../src/mirror/process-instance.entity.js';
import { TaskRecord } from '../src/mirror/task.entity.js';
import { keysetQuery } from '../src/pagination/keyset-page.js';
import { InstanceAccess } from '../src/process-instances/instance-access.js';
import { instanceListQuery, INSTANCES_BY_START } from '../src/process-instances/process-instance-list-query.js';
import { taskListQuery, TASK_SORT_KEYS } from '../src/tasks/task-list-query.js';
import type { TaskQueryDto } from '../src/tasks/dto/task-query.dto.js';

const ROWS = 60_000;
const PLANS_DATABASE = 'camunda_gateway_plans';

/** Every node of a JSON query plan. */
function nodes(plan: Record<string, unknown>): Record<string, unknown>[] {
  const children = (plan.Plans as Record<string, unknown>[] | undefined) ?? [];
  return [plan, ...children.flatMap(nodes)];
}

function caller(workspaces: { tenantId: string; roles: Role[]; groups?: string[] }[], admin = false): Caller {
  return {
    identity: { kind: 'user', issuer: 'i', localId: 'l', username: 'u', name: null, email: null, grants: [] },
    camundaUserId: 'user7',
    admin,
    workspaces: workspaces.map(({ tenantId, roles, groups }) => ({ workspaceId: tenantId, tenantId, roles, camundaGroupIds: groups ?? [] })),
  };
}

/**
 * The mirror's list queries, as the services build them, against a seeded table of their own (real migrations,
 * no engine): PostgreSQL must find an index for every filter and every sort, for every kind of caller.
 */
describe('list query plans on a seeded mirror', () => {
  let dataSource: DataSource;
  const scopes = {
    engineWide: AccessScope.of(caller([], true), undefined),
    operator: AccessScope.of(caller([{ tenantId: 't3', roles: [Role.Operator] }]), undefined),
    approver: AccessScope.of(caller([{ tenantId: 't3', roles: [Role.Approver], groups: ['g2'] }]), undefined),
    requester: AccessScope.of(caller([{ tenantId: 't3', roles: [Role.Requester] }]), undefined),
  };

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(await freshDatabase(PLANS_DATABASE)));
    await dataSource.initialize();
    await dataSource.query(`
      INSERT INTO process_instances (id, definition_id, definition_key, business_key, tenant_id, state, started_by, started_at, last_synced_at)
      SELECT 'p' || n, 'd' || (n % 10) || ':1', 'key' || (n % 10), 'BK-' || n, 't' || (n % 20),
             CASE WHEN n % 10 = 0 THEN 'COMPLETED' ELSE 'ACTIVE' END, 'user' || (n % 500), now() - n * interval '1 second', now()
      FROM generate_series(1, ${ROWS}) AS n`);
    await dataSource.query(`
      INSERT INTO tasks (id, process_instance_id, process_definition_key, business_key, name, assignee, candidate_users, candidate_groups,
                         priority, state, created_at, due_at, tenant_id, last_synced_at)
      SELECT 't' || n, 'p' || n, 'key' || (n % 10), 'BK-' || n, 'Task ' || (n % 300), CASE WHEN n % 3 = 0 THEN 'user' || (n % 500) END,
             ARRAY['user' || (n % 700)], ARRAY['g' || (n % 12)], n % 100, CASE WHEN n % 3 = 0 THEN 'ASSIGNED' ELSE 'CREATED' END,
             now() - n * interval '1 second', CASE WHEN n % 2 = 0 THEN now() + n * interval '1 minute' END, 't' || (n % 20), now()
      FROM generate_series(1, ${ROWS}) AS n`);
    await dataSource.query(`
      INSERT INTO incidents (id, process_instance_id, type, message, state, created_at, last_synced_at)
      SELECT 'i' || n, 'p' || n, CASE WHEN n % 2 = 0 THEN 'failedJob' ELSE 'failedExternalTask' END, 'failure ' || n,
             CASE WHEN n % 10 = 0 THEN 'OPEN' WHEN n % 3 = 0 THEN 'DELETED' ELSE 'RESOLVED' END, now() - n * interval '1 second', now()
      FROM generate_series(1, ${ROWS}) AS n`);
    await dataSource.query('ANALYZE');
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  async function sequentialScans(sql: string, parameters: unknown[]): Promise<string[]> {
    const [
      {
        'QUERY PLAN': [plan],
      },
    ] = await dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters);
    return nodes(plan.Plan)
      .filter((node) => node['Node Type'] === 'Seq Scan')
      .map((node) => String(node['Relation Name']));
  }

  const TASK_FILTERS: Partial<TaskQueryDto>[] = [
    {},
    { processInstanceId: 'p42' },
    { processDefinitionKey: 'key3' },
    { businessKey: 'BK-42' },
    { tenantId: 't3' },
    { assignee: 'user7' },
    { candidateGroup: 'g2' },
    { candidateGroups: ['g2', 'g5'] },
    { candidateUser: 'user7' },
    { unassigned: true },
    { priority: 50 },
    { nameLike: 'Task 1' },
    { createdAfter: new Date(Date.now() - 3_600_000) },
    { dueBefore: new Date(Date.now() + 3_600_000) },
  ];

  it('finds an index for every task filter, sort and caller', async () => {
    const scanned: string[] = [];
    for (const [who, scope] of Object.entries(scopes)) {
      if (who === 'requester') continue;
      for (const filter of TASK_FILTERS) {
        for (const [sortName, key] of Object.entries(TASK_SORT_KEYS)) {
          for (const descending of [false, true]) {
            const builder = dataSource.getRepository(TaskRecord).createQueryBuilder('task');
            taskListQuery(builder, scope, filter, ['g2']);
            keysetQuery(builder, { key, idColumn: 'task.id', descending, limit: 100 });
            const [sql, parameters] = builder.getQueryAndParameters();
            const scans = await sequentialScans(sql, parameters);
            if (scans.length > 0)
              scanned.push(`${who} ${JSON.stringify(filter)} by ${sortName} ${descending ? 'desc' : 'asc'}: seq scan on ${scans.join(', ')}`);
          }
        }
      }
    }
    expect(scanned).toEqual([]);
  });

  /** Rows a query read and threw away, summed over its plan's nodes, as it ran on `runner`'s connection. */
  async function rowsFilteredOut(runner: QueryRunner, sql: string, parameters: unknown[]): Promise<number> {
    const [
      {
        'QUERY PLAN': [plan],
      },
    ] = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, parameters);
    return nodes(plan.Plan).reduce((sum, node) => sum + Number(node['Rows Removed by Filter'] ?? 0), 0);
  }

  // The 100,000-task bench asked for a candidate user in no group where no task had candidate users: the planner
  // guessed 0.5% of the tasks would match and walked the sort index through every one of them.
  it('reads only the candidate tasks of a candidate user in no group when no task has candidate users, whatever the sort', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(`UPDATE tasks SET candidate_users = '{}'`);
      await runner.query('ANALYZE tasks');
      const walked: string[] = [];
      for (const candidateUser of ['user7', 'nobody']) {
        for (const [sortName, key] of Object.entries(TASK_SORT_KEYS)) {
          for (const descending of [false, true]) {
            const builder = dataSource.getRepository(TaskRecord).createQueryBuilder('task');
            taskListQuery(builder, scopes.engineWide, { candidateUser }, []);
            keysetQuery(builder, { key, idColumn: 'task.id', descending, limit: 50 });
            const [sql, parameters] = builder.getQueryAndParameters();
            const filteredOut = await rowsFilteredOut(runner, sql, parameters);
            if (filteredOut > ROWS / 10) walked.push(`${candidateUser} by ${sortName} ${descending ? 'desc' : 'asc'}: ${filteredOut} rows read and dropped`);
          }
        }
      }
      expect(walked).toEqual([]);
    } finally {
      // The statistics go back with the rows: ANALYZE is transactional.
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  // Half the seeded tasks have no due date: a page after one of them starts at "due infinity", the top of the index.
  it('reads only the filtered tasks on a page that starts among the tasks without a due date', async () => {
    const [{ id }] = await dataSource.query(`SELECT min(id) AS id FROM tasks WHERE assignee = 'user7' AND due_at IS NULL`);
    const cursor = Buffer.from(JSON.stringify({ k: 'due', v: 'infinity', id })).toString('base64url');
    const runner = dataSource.createQueryRunner();
    try {
      const walked: string[] = [];
      for (const filter of [{ assignee: 'user7' }, { businessKey: 'BK-42' }, { processInstanceId: 'p42' }]) {
        for (const descending of [false, true]) {
          const builder = dataSource.getRepository(TaskRecord).createQueryBuilder('task');
          taskListQuery(builder, scopes.engineWide, filter, []);
          keysetQuery(builder, { key: TASK_SORT_KEYS.due, idColumn: 'task.id', descending, cursor, limit: 50 });
          const [sql, parameters] = builder.getQueryAndParameters();
          const filteredOut = await rowsFilteredOut(runner, sql, parameters);
          if (filteredOut > ROWS / 10) walked.push(`${JSON.stringify(filter)} ${descending ? 'desc' : 'asc'}: ${filteredOut} rows read and dropped`);
        }
      }
      expect(walked).toEqual([]);
    } finally {
      await runner.release();
    }
  });

  it('finds an index for every incident filter, state and caller', async () => {
    const filters = [{}, { processInstanceId: 'p42' }, { incidentType: 'failedJob' }];
    const scanned: string[] = [];
    for (const [who, scope] of Object.entries(scopes)) {
      if (who !== 'engineWide' && who !== 'operator') continue;
      for (const filter of filters) {
        for (const state of [IncidentState.Open, IncidentState.Resolved]) {
          const tenantIds = scope.engineWide ? undefined : scope.tenantsWhere(Role.Operator);
          const builder = incidentListQuery(dataSource.getRepository(IncidentRecord).createQueryBuilder('incident'), {
            ...filter,
            state,
            tenantIds,
            offset: 0,
            limit: 100,
          });
          const [sql, parameters] = builder.getQueryAndParameters();
          const scans = await sequentialScans(sql, parameters);
          if (scans.length > 0) scanned.push(`${who} ${JSON.stringify(filter)} ${state}: seq scan on ${scans.join(', ')}`);
        }
      }
    }
    expect(scanned).toEqual([]);
  });

  it('finds an index for every instance filter and caller', async () => {
    const filters: Parameters<typeof instanceListQuery>[1][] = [
      {},
      { definitionKey: 'key3' },
      { businessKey: 'BK-42' },
      { state: InstanceState.Active },
      { tenantId: 't3' },
      { startedAfter: new Date(Date.now() - 3_600_000) },
    ];
    const scanned: string[] = [];
    for (const [who, scope] of Object.entries(scopes)) {
      for (const filter of filters) {
        for (const descending of [false, true]) {
          const builder = instanceListQuery(dataSource.getRepository(ProcessInstanceRecord).createQueryBuilder('instance'), filter);
          new InstanceAccess({} as never, {} as never).restrict(builder, scope);
          keysetQuery(builder, { key: INSTANCES_BY_START, idColumn: 'instance.id', descending, limit: 100 });
          const [sql, parameters] = builder.getQueryAndParameters();
          const scans = await sequentialScans(sql, parameters);
          if (scans.length > 0) scanned.push(`${who} ${JSON.stringify(filter)} ${descending ? 'desc' : 'asc'}: seq scan on ${scans.join(', ')}`);
        }
      }
    }
    expect(scanned).toEqual([]);
  });
});
