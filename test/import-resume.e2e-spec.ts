import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { deployBehindGateway, engineRest } from './support/engine-rest.js';
import { userTaskChain } from './fixtures/models.js';
import { eventually } from './support/eventually.js';
import { inParallel } from './support/in-parallel.js';
import { GatewayProcess } from './support/gateway-process.js';
import { freshDatabase } from './support/own-database.js';
import { RecordingProxy } from './support/recording-proxy.js';
import { testEnv } from './support/test-env.js';

const INSTANCES = 3_000;
// Every third instance has its first task completed before the import: the import reads ended tasks too.
const REVIEWED_EVERY = 3;
const IMPORT_PAGE = 200;

interface ImportProgress {
  phase: string;
  done: number;
  total: number;
  keyset: { at: string | null };
}

/** A first import of several thousand instances, SIGKILLed halfway: the next process continues it instead of starting over. */
describe('an import killed halfway resumes where it stopped', () => {
  const run = randomUUID().slice(0, 8);
  const key = `importresume${run}`;
  const proxy = new RecordingProxy(new URL(testEnv.camundaUrl));
  let mirror: pg.Client;
  let databaseUrl: string;
  let deploymentId: string;
  let ids: string[] = [];
  let gateway: GatewayProcess | undefined;

  async function progress(): Promise<ImportProgress | undefined> {
    return (await mirror.query(`SELECT progress FROM sync_cursors WHERE name = 'import'`)).rows[0]?.progress;
  }

  beforeAll(async () => {
    databaseUrl = await freshDatabase('camunda_gateway_import_resume');
    mirror = new pg.Client({ connectionString: databaseUrl });
    await mirror.connect();
    await proxy.start();
    deploymentId = await deployBehindGateway(
      key,
      userTaskChain(key, [
        { id: 'review', name: 'Review', candidateGroups: 'reviewers' },
        { id: 'approve', name: 'Approve', candidateGroups: 'managers,auditors', candidateUsers: 'mary' },
      ]),
    );
    ids = (
      await inParallel(INSTANCES, 16, (index) =>
        engineRest<{ id: string }>('POST', `/process-definition/key/${key}/start`, {
          businessKey: `IR-${run}-${index}`,
          variables: {
            title: { value: `Ticket ${index}`, type: 'String' },
            amount: { value: index, type: 'Long' },
            urgent: { value: index % 2 === 0, type: 'Boolean' },
            requester: { value: `user${index % 40}`, type: 'String' },
            details: { value: JSON.stringify({ lines: [index] }), type: 'Json' },
          },
        }),
      )
    ).map((instance) => instance.id);
    const reviews = await engineRest<{ id: string; processInstanceId: string }[]>('POST', `/task?maxResults=${INSTANCES}`, {
      processDefinitionKey: key,
      taskDefinitionKey: 'review',
    });
    const reviewed = reviews.filter((task) => ids.indexOf(task.processInstanceId) % REVIEWED_EVERY === 0);
    await inParallel(reviewed.length, 16, (index) => engineRest('POST', `/task/${reviewed[index].id}/complete`, {}));
  }, 600_000);

  afterAll(async () => {
    await gateway?.stop();
    await proxy.stop();
    await mirror?.end();
    // Deleting thousands of instances with their history takes the engine a while.
    if (deploymentId) await engineRest('DELETE', `/deployment/${deploymentId}?cascade=true`).catch(() => undefined);
  }, 300_000);

  it('continues after a SIGKILL and ends with mirror = engine and one event set per instance', async () => {
    // The first process reads the engine slowly, so the kill lands halfway whatever the machine's speed.
    proxy.beforeAnswer = (request) => (request.path === '/history/variable-instance' ? new Promise((resolve) => setTimeout(resolve, 150)) : undefined);
    const env = { DATABASE_URL: databaseUrl, SYNC_INTERVAL_MS: '500', SYNC_RECONCILE_CRON: '0 0 0 1 1 *', EVENTS_EXCHANGE: `import-resume-${run}` };
    gateway = await GatewayProcess.start({ ...env, CAMUNDA_URL: proxy.url });
    const atKill = await eventually(
      async () => {
        const current = await progress();
        expect(current?.done).toBeGreaterThanOrEqual(Math.min(1_000, current!.total / 3));
        return current!;
      },
      300_000,
      50,
    );
    await gateway.kill();
    gateway = undefined;
    const afterKill = (await progress())!;
    expect(afterKill.phase).toBe('open');
    expect(afterKill.keyset.at).not.toBeNull();

    gateway = await GatewayProcess.start({ ...env, CAMUNDA_URL: testEnv.camundaUrl });
    const finished = await eventually(
      async () => {
        const current = await progress();
        expect(current?.phase).toBe('done');
        return current!;
      },
      300_000,
      200,
    );
    // Continued, not started over: only the page cut by the kill is read twice.
    expect(finished.done).toBeLessThanOrEqual(finished.total + IMPORT_PAGE);
    expect(finished.done).toBeGreaterThan(atKill.done);
    // The planner knows the tables' new size (last_analyze is set by ANALYZE, not by autovacuum).
    await eventually(async () => {
      const { rows } = await mirror.query(
        `SELECT relname FROM pg_stat_user_tables WHERE relname IN ('process_instances', 'tasks', 'variables', 'incidents') AND last_analyze IS NOT NULL`,
      );
      expect(rows.map((row) => row.relname).sort()).toEqual(['incidents', 'process_instances', 'tasks', 'variables']);
    });

    const { rows: instances } = await mirror.query(`SELECT id, state, business_key FROM process_instances WHERE definition_key = $1`, [key]);
    expect(instances).toHaveLength(INSTANCES);
    expect(new Set(instances.map((row) => row.id))).toEqual(new Set(ids));
    expect(instances.every((row) => row.state === 'ACTIVE')).toBe(true);

    const engineTasks = await engineRest<{ id: string; processInstanceId: string; startTime: string; endTime: string | null; taskDefinitionKey: string }[]>(
      'POST',
      `/history/task?maxResults=${INSTANCES * 2}`,
      { processDefinitionKey: key },
    );
    const { rows: tasks } = await mirror.query(
      `SELECT id, task_definition_key, state, candidate_groups, candidate_users FROM tasks WHERE process_definition_key = $1`,
      [key],
    );
    expect(new Set(tasks.map((task) => task.id))).toEqual(new Set(engineTasks.map((task) => task.id)));
    const ended = new Set(engineTasks.filter((task) => task.endTime).map((task) => task.id));
    for (const task of tasks) {
      expect(task.state).toBe(ended.has(task.id) ? 'COMPLETED' : 'CREATED');
      if (ended.has(task.id)) continue;
      expect({ key: task.task_definition_key, groups: [...task.candidate_groups].sort(), users: task.candidate_users }).toEqual(
        task.task_definition_key === 'review'
          ? { key: 'review', groups: ['reviewers'], users: [] }
          : { key: 'approve', groups: ['auditors', 'managers'], users: ['mary'] },
      );
    }

    const engineVariables = await engineRest<{ processInstanceId: string; name: string; value: unknown }[]>(
      'POST',
      `/history/variable-instance?deserializeValues=false&maxResults=${INSTANCES * 5}`,
      { processDefinitionKey: key },
    );
    const { rows: variables } = await mirror.query(
      `SELECT v.process_instance_id, v.name, v.value FROM variables v JOIN process_instances p ON p.id = v.process_instance_id WHERE p.definition_key = $1`,
      [key],
    );
    expect(variables).toHaveLength(engineVariables.length);
    const amounts = new Map(variables.filter((row) => row.name === 'amount').map((row) => [row.process_instance_id, row.value]));
    for (const [index, id] of ids.entries()) expect(amounts.get(id)).toBe(index);

    // Exactly one set of events per instance, however often its page was read: the refresh diffs against the mirror.
    const { rows: counts } = await mirror.query(
      `SELECT type, count(*)::int AS events, count(DISTINCT process_instance_id)::int AS instances FROM outbox_events WHERE process_instance_id = ANY($1) GROUP BY type ORDER BY type`,
      [ids],
    );
    const reviewed = Math.ceil(INSTANCES / REVIEWED_EVERY);
    expect(counts).toEqual([
      { type: 'process.started', events: INSTANCES, instances: INSTANCES },
      { type: 'task.completed', events: reviewed, instances: reviewed },
      { type: 'task.created', events: INSTANCES + reviewed, instances: INSTANCES },
    ]);
  }, 900_000);
});
