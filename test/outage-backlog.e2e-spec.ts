import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { userTaskChain } from './fixtures/models.js';
import { deployBehindGateway, engineRest } from './support/engine-rest.js';
import { inParallel } from './support/in-parallel.js';
import { eventually } from './support/eventually.js';
import { GatewayProcess } from './support/gateway-process.js';
import { migrateTestDatabase } from './support/migrate-test-database.js';
import { testEnv } from './support/test-env.js';

const INSTANCES = 1_100;
const SUSPENDED_EVERY = 10;
// The old poll read the user-operation log as one page of 5,000: a backlog past it was lost.
const MORE_THAN = 5_000;

// One user task with candidates: they must survive the refreshes of assigned tasks.
const TASKS = [{ id: 'wait', name: 'Wait', candidateGroups: 'managers' }];

/** A gateway stopped while operators made thousands of changes catches up on all of them when it comes back. */
describe('more than 5,000 operations while the gateway was stopped', () => {
  const run = randomUUID().slice(0, 8);
  const key = `backlog${run}`;
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  let deploymentId: string;
  let ids: string[] = [];
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    await migrateTestDatabase();
    await mirror.connect();
    deploymentId = await deployBehindGateway(key, userTaskChain(key, TASKS));
  });

  afterAll(async () => {
    await gateway?.stop();
    await mirror.end();
    // Deleting a thousand instances with their history takes the engine a while.
    if (deploymentId) await engineRest('DELETE', `/deployment/${deploymentId}?cascade=true`).catch(() => undefined);
  }, 300_000);

  it('are all in the mirror after the restart, none missed', async () => {
    gateway = await GatewayProcess.start({ SYNC_INTERVAL_MS: '500', SYNC_RECONCILE_CRON: '0 0 0 1 1 *' });
    const started: string[] = new Array(INSTANCES);
    await inParallel(INSTANCES, 16, async (index) => {
      started[index] = (await engineRest<{ id: string }>('POST', `/process-definition/key/${key}/start`, { businessKey: `BL-${run}-${index}` })).id;
    });
    ids = started;
    await eventually(
      async () => {
        const { rows } = await mirror.query('SELECT count(*)::int AS n FROM tasks WHERE process_instance_id = ANY($1)', [ids]);
        expect(rows[0].n).toBe(INSTANCES);
      },
      120_000,
      500,
    );
    await gateway.stop();
    gateway = undefined;
    const stoppedAt = new Date();

    const tasks = await engineRest<{ id: string; processInstanceId: string }[]>('POST', `/task?maxResults=${INSTANCES}`, { processDefinitionKey: key });
    await inParallel(tasks.length, 16, async (index) => {
      const task = tasks[index];
      await engineRest('POST', `/task/${task.id}/claim`, { userId: 'ann' });
      await engineRest('POST', `/task/${task.id}/unclaim`);
      await engineRest('POST', `/task/${task.id}/claim`, { userId: 'bob' });
      await engineRest('POST', `/task/${task.id}/assignee`, { userId: `final${index % 7}` });
      await engineRest('PUT', `/process-instance/${task.processInstanceId}/variables/decision`, { value: `d${index}`, type: 'String' });
      if (index % SUSPENDED_EVERY === 0) await engineRest('PUT', `/process-instance/${task.processInstanceId}/suspended`, { suspended: true });
    });
    const { count: operations } = await engineRest<{ count: number }>(
      'GET',
      `/history/user-operation/count?processDefinitionKey=${key}&afterTimestamp=${encodeURIComponent(stoppedAt.toISOString().replace('Z', '+0000'))}`,
    );
    expect(operations).toBeGreaterThan(MORE_THAN);

    gateway = await GatewayProcess.start({ SYNC_INTERVAL_MS: '500', SYNC_RECONCILE_CRON: '0 0 0 1 1 *' });
    const finalAssignee = new Map(tasks.map((task, index) => [task.id, `final${index % 7}`]));
    const decision = new Map(tasks.map((task, index) => [task.processInstanceId, `d${index}`]));
    const suspended = new Set(tasks.filter((_, index) => index % SUSPENDED_EVERY === 0).map((task) => task.processInstanceId));
    await eventually(
      async () => {
        const { rows } = await mirror.query(
          `SELECT t.id, t.assignee, t.suspended, t.candidate_groups, p.state, v.value AS decision
         FROM tasks t JOIN process_instances p ON p.id = t.process_instance_id
         LEFT JOIN variables v ON v.process_instance_id = p.id AND v.name = 'decision'
         WHERE t.process_instance_id = ANY($1)`,
          [ids],
        );
        const wrong = rows.filter((row) => {
          const instanceId = tasks.find((task) => task.id === row.id)!.processInstanceId;
          const isSuspended = suspended.has(instanceId);
          return (
            row.assignee !== finalAssignee.get(row.id) ||
            row.candidate_groups.join() !== 'managers' ||
            row.decision !== decision.get(instanceId) ||
            row.suspended !== isSuspended ||
            row.state !== (isSuspended ? 'SUSPENDED' : 'ACTIVE')
          );
        });
        expect({ rows: rows.length, wrong: wrong.length }).toEqual({ rows: INSTANCES, wrong: 0 });
      },
      180_000,
      1_000,
    );
    // Their events too: each task's last assignment names its final assignee.
    const { rows: lastAssigned } = await mirror.query(
      `SELECT DISTINCT ON (payload->'data'->>'taskId') payload->'data'->>'taskId' AS task_id, payload->'data'->>'assignee' AS assignee
       FROM outbox_events WHERE process_instance_id = ANY($1) AND type = 'task.assigned' ORDER BY payload->'data'->>'taskId', position DESC`,
      [ids],
    );
    expect(lastAssigned).toHaveLength(INSTANCES);
    expect(lastAssigned.filter((row) => row.assignee !== finalAssignee.get(row.task_id))).toEqual([]);
  }, 900_000);
});
