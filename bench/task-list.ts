import { plainToInstance } from 'class-transformer';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { AccessScope } from '../src/auth/access-scope.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { Role, type Caller } from '../src/identity/caller.js';
import { TaskRecord } from '../src/mirror/task.entity.js';
import { keysetQuery } from '../src/pagination/keyset-page.js';
import { TaskQueryDto } from '../src/tasks/dto/task-query.dto.js';
import { narrowCreatedRange, taskListKeyset, taskListQuery } from '../src/tasks/task-list-query.js';
import { engineRest } from '../test/support/engine-rest.js';
import { GatewayProcess } from '../test/support/gateway-process.js';
import { userToken } from '../test/support/keycloak.js';
import { testEnv } from '../test/support/test-env.js';
import { percentile, round, timed } from './measure.js';
import { seedOpenTasks } from './task-seed.js';

/**
 * GET /tasks at 100,000 open tasks, every filter × sort × page, against the same SQL run straight on PostgreSQL
 * (the baseline): no engine data, the mirror is seeded. The gateway's sync stays idle (an hour's interval).
 */
const OPEN_TASKS = Number(process.env.BENCH_OPEN_TASKS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PAGES = 3;
const PAGE_SIZE = 50;
const TARGET_MS = 20;
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results-tasks.md';
const SORTS = ['created', 'due', 'priority', 'name'] as const;

/** Every filter of the row (and the suspended tasks, the rare side of that flag), as query parameters. */
function filters(now: number): Record<string, Record<string, string>> {
  return {
    'open (no filter)': {},
    processDefinitionKey: { processDefinitionKey: 'vendor-review' },
    candidateGroup: { candidateGroup: 'managers' },
    candidateUser: { candidateUser: 'demo' },
    assignee: { assignee: 'user-7' },
    unassigned: { unassigned: 'true' },
    businessKey: { businessKey: 'TICKET-7' },
    state: { state: 'CREATED' },
    'suspended=false': { suspended: 'false' },
    'suspended=true': { suspended: 'true' },
    priority: { priority: '50' },
    tenantId: { tenantId: 'globex' },
    createdAfter: { createdAfter: new Date(now - 86_400_000).toISOString() },
    dueBefore: { dueBefore: new Date(now + 86_400_000).toISOString() },
  };
}

interface BenchCaller {
  label: string;
  token: string;
  scope: AccessScope;
}

function callerOf(camundaUserId: string, admin: boolean, workspaces: Caller['workspaces']): Caller {
  return {
    identity: { kind: 'user', issuer: 'bench', localId: camundaUserId, username: camundaUserId, name: null, email: null, grants: [] },
    camundaUserId,
    admin,
    workspaces,
  };
}

/** Planning and execution of one statement inside PostgreSQL, without the round trip or the client. */
async function serverTime(database: pg.Client, sql: string, parameters: unknown[]): Promise<number> {
  const { rows } = await database.query<{ 'QUERY PLAN': [{ 'Planning Time': number; 'Execution Time': number }] }>(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`,
    parameters,
  );
  const [plan] = rows[0]['QUERY PLAN'];
  return plan['Planning Time'] + plan['Execution Time'];
}

async function main(): Promise<void> {
  const database = new pg.Client({ connectionString: testEnv.databaseUrl });
  await database.connect();
  const typeorm = new DataSource(dataSourceOptions(testEnv.databaseUrl));
  await typeorm.initialize();
  const tasks = typeorm.getRepository(TaskRecord);
  const lines: string[] = [];
  const report = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  const gateway = await GatewayProcess.start({ SYNC_INTERVAL_MS: '3600000', SYNC_RECONCILE_CRON: '0 0 0 1 1 *' });
  try {
    const adminToken = await userToken('root');
    const maryToken = await userToken('mary');
    // Mary is provisioned by her first request; her Camunda id is what her tasks name.
    const first = await fetch(`${gateway.url}/tasks?limit=1`, { headers: { Authorization: `Bearer ${maryToken}` } });
    if (!first.ok) throw new Error(`GET /tasks as mary answered ${first.status}: ${await first.text()}`);
    const {
      rows: [mary],
    } = await database.query<{ camunda_user_id: string }>(`SELECT camunda_user_id FROM identity_users WHERE username = 'mary'`);
    const seeded = await timed(() => seedOpenTasks(database, OPEN_TASKS, mary.camunda_user_id));
    report(`# GET /tasks at ${OPEN_TASKS} open tasks\n`);
    report(
      `Seeded ${OPEN_TASKS} open and ${seeded.value.ended} ended tasks in ${round(seeded.ms / 1000)} s (bench/task-seed.ts). ${new Date().toISOString()}.\n`,
    );
    const demoGroups = (await engineRest<{ id: string }[]>('GET', '/group?member=demo')).map((group) => group.id);

    const callers: BenchCaller[] = [
      { label: 'admin (engine-wide)', token: adminToken, scope: AccessScope.of(callerOf('root', true, []), undefined) },
      {
        label: 'mary (approver in acme: her tasks, her candidacies, group managers)',
        token: maryToken,
        scope: AccessScope.of(
          callerOf(mary.camunda_user_id, false, [{ workspaceId: 'acme', tenantId: 'acme', roles: [Role.Approver], camundaGroupIds: ['managers'] }]),
          undefined,
        ),
      },
    ];
    const floor: number[] = [];
    let worstGateway = 0;
    let worstSql = 0;
    let worstServer = 0;
    for (const caller of callers) {
      report(`## ${caller.label}\n`);
      report(
        `In ms over ${ROUNDS} walks of ${PAGES} pages of ${PAGE_SIZE} (asc and desc alternating), sequential: gateway p99 (p50), HTTP as the caller / p99 of the same statements sent by pg from the bench / p99 of the page statement's planning and execution inside PostgreSQL (EXPLAIN ANALYZE). Bold: p99 over ${TARGET_MS} ms.\n`,
      );
      report(`| filter | ${SORTS.join(' | ')} | worst ratio |`);
      report(`|---|${SORTS.map(() => '---|').join('')}---|`);
      const headers = { Authorization: `Bearer ${caller.token}` };
      // Warm-up, not measured: the caller's provisioning check, the pool's connections, the JIT.
      for (const sortBy of SORTS)
        await fetch(`${gateway.url}/tasks?sortBy=${sortBy}&limit=${PAGE_SIZE}`, { headers }).then((response) => response.arrayBuffer());
      for (const [filter, params] of Object.entries(filters(Date.now()))) {
        const cells: string[] = [];
        let worstRatio = 0;
        for (const sortBy of SORTS) {
          const gatewaySamples: number[] = [];
          const sqlSamples: number[] = [];
          const serverSamples: number[] = [];
          for (let walk = 0; walk < ROUNDS; walk++) {
            const sortOrder = walk % 2 === 0 ? 'asc' : 'desc';
            let cursor: string | null = null;
            for (let page = 0; page < PAGES; page++) {
              const query: Record<string, string> = { ...params, sortBy, sortOrder, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) };
              const url = `${gateway.url}/tasks?${new URLSearchParams(query).toString()}`;
              const answer = await timed(async () => {
                const response = await fetch(url, { headers });
                if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
                return (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
              });
              gatewaySamples.push(answer.ms);
              floor.push((await timed(() => fetch(`${gateway.url}/health/live`).then((response) => response.arrayBuffer()))).ms);
              // The gateway's statements for this page, from the same code.
              const dto = plainToInstance(TaskQueryDto, query);
              const readsRange = await narrowCreatedRange(tasks, dto);
              const builder = taskListQuery(tasks.createQueryBuilder('task'), caller.scope, dto, params.candidateUser ? demoGroups : []);
              const [sql, parameters] = keysetQuery(builder, taskListKeyset(dto, readsRange)).getQueryAndParameters();
              // Timed: the range check the gateway asks for such a query (none for the others), then the page.
              const direct = await timed(async () => {
                await narrowCreatedRange(tasks, dto);
                return database.query<{ task_id: string }>(sql, parameters);
              });
              sqlSamples.push(direct.ms);
              serverSamples.push(await serverTime(database, sql, parameters));
              const expected = direct.value.rows.slice(0, PAGE_SIZE).map((row) => row.task_id);
              const got = answer.value.items.map((item) => item.id);
              if (expected.join() !== got.join())
                throw new Error(`${caller.label} ${filter} by ${sortBy} ${sortOrder} page ${page}: the gateway's page differs from the SQL's`);
              cursor = answer.value.nextCursor;
              if (!cursor) break;
            }
          }
          const gatewayP99 = percentile(gatewaySamples, 99);
          const sqlP99 = percentile(sqlSamples, 99);
          worstGateway = Math.max(worstGateway, gatewayP99);
          worstSql = Math.max(worstSql, sqlP99);
          worstRatio = Math.max(worstRatio, gatewayP99 / sqlP99);
          const mark = gatewayP99 > TARGET_MS ? '**' : '';
          worstServer = Math.max(worstServer, percentile(serverSamples, 99));
          cells.push(
            `${mark}${round(gatewayP99)}${mark} (${round(percentile(gatewaySamples, 50))}) / ${round(sqlP99)} / ${round(percentile(serverSamples, 99))}`,
          );
        }
        report(`| ${filter} | ${cells.join(' | ')} | ${round(worstRatio, 1)}× |`);
      }
      report('');
    }
    report(
      `Reference for the machine's floor: GET /health/live (no database, no token) p99 ${round(percentile(floor, 99))} ms, p50 ${round(percentile(floor, 50))} ms over ${floor.length} requests spread through the run.\n`,
    );
    report(
      `Worst p99: gateway ${round(worstGateway)} ms (target < ${TARGET_MS} ms: ${worstGateway < TARGET_MS ? 'met' : 'not met'}), the statements from pg ${round(worstSql)} ms, inside PostgreSQL ${round(worstServer)} ms.`,
    );
    writeFileSync(RESULTS, `${lines.join('\n')}\n`);
  } finally {
    await gateway.stop();
    await typeorm.destroy();
    await database.end();
  }
}

await main();
