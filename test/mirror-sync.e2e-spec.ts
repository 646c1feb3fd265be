import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { externalTaskProcess, userTaskProcess } from './fixtures/models.js';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { testEnv } from './support/test-env.js';

const POLL_INTERVAL_MS = 1_000;
const OVERLAP_MS = 3_000;
/** The bound: a change shows within the poll interval plus a second. */
const DEADLINE_MS = POLL_INTERVAL_MS + 1_000;

/** Changes made straight on engine-rest, as Cockpit, Tasklist or another service make them. */
describe('out-of-band changes reach the mirror and the exchange within the poll interval plus a second', () => {
  let gateway: RunningGateway;
  let events: EventCollector;
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  const run = randomUUID().slice(0, 8);

  async function row<T>(sql: string, ...params: unknown[]): Promise<T | undefined> {
    return (await mirror.query(sql, params)).rows[0] as T | undefined;
  }

  async function startTicket(): Promise<{ instanceId: string; taskId: string }> {
    const instance = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `SYNC-${run}` })
      .expect(201);
    const task = await row<{ id: string }>('SELECT id FROM tasks WHERE process_instance_id = $1', instance.body.id);
    return { instanceId: instance.body.id, taskId: task!.id };
  }

  /** An instance of a model of its own whose external task failed for good: an open incident, mirrored within `deadlineMs`. */
  async function failingExternalTask(key: string, deadlineMs = 20_000): Promise<{ instanceId: string; deploymentId: string; externalTaskId: string }> {
    const deployment = await gateway.http.post('/deployments').field('name', key).attach('model', externalTaskProcess(key, key), `${key}.bpmn`).expect(201);
    const instance = await gateway.http.post('/process-instances').send({ processDefinitionKey: key }).expect(201);
    const [locked] = await engineRest<{ id: string }[]>('POST', '/external-task/fetchAndLock', {
      workerId: key,
      maxTasks: 1,
      topics: [{ topicName: key, lockDuration: 10_000 }],
    });
    await engineRest('POST', `/external-task/${locked.id}/failure`, { workerId: key, errorMessage: 'Provider down', retries: 0, retryTimeout: 0 });
    await eventually(
      async () => expect(await row('SELECT state FROM incidents WHERE process_instance_id = $1', instance.body.id)).toEqual({ state: 'OPEN' }),
      deadlineMs,
    );
    return { instanceId: instance.body.id, deploymentId: deployment.body.id, externalTaskId: locked.id };
  }

  function lastEvent(instanceId: string, type: string) {
    return events
      .forInstance(instanceId)
      .filter((event) => event.routingKey === type)
      .at(-1);
  }

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false', SYNC_INTERVAL_MS: String(POLL_INTERVAL_MS), SYNC_OVERLAP_MS: String(OVERLAP_MS) });
    events = await EventCollector.bind();
    await mirror.connect();
    // The bound is for steady state: first catch up on whatever changed since the previous gateway's last poll.
    await gateway.http.post('/sync/run').expect(200);
  });

  afterAll(async () => {
    await mirror.end();
    await events?.close();
    await gateway?.close();
  });

  it('reassign', async () => {
    const { instanceId, taskId } = await startTicket();
    await engineRest('POST', `/task/${taskId}/assignee`, { userId: 'zoe' });
    await eventually(async () => {
      expect(await row('SELECT assignee, state FROM tasks WHERE id = $1', taskId)).toEqual({ assignee: 'zoe', state: 'ASSIGNED' });
      expect(lastEvent(instanceId, 'task.assigned')?.body.data).toMatchObject({ assignee: 'zoe', previousAssignee: null });
    }, DEADLINE_MS);
  });

  it('claim, then unclaim', async () => {
    const { instanceId, taskId } = await startTicket();
    await engineRest('POST', `/task/${taskId}/claim`, { userId: 'yves' });
    await eventually(async () => expect(lastEvent(instanceId, 'task.assigned')?.body.data).toMatchObject({ assignee: 'yves' }), DEADLINE_MS);
    await engineRest('POST', `/task/${taskId}/unclaim`);
    await eventually(async () => {
      expect(await row('SELECT assignee, state FROM tasks WHERE id = $1', taskId)).toEqual({ assignee: null, state: 'CREATED' });
      expect(lastEvent(instanceId, 'task.assigned')?.body.data).toMatchObject({ assignee: null, previousAssignee: 'yves' });
    }, DEADLINE_MS);
  });

  it('suspend and activate an instance', async () => {
    const { instanceId } = await startTicket();
    await engineRest('PUT', `/process-instance/${instanceId}/suspended`, { suspended: true });
    await eventually(async () => {
      expect(await row('SELECT state FROM process_instances WHERE id = $1', instanceId)).toEqual({ state: 'SUSPENDED' });
      expect(events.typesFor(instanceId)).toContain('process.suspended');
    }, DEADLINE_MS);
    await engineRest('PUT', `/process-instance/${instanceId}/suspended`, { suspended: false });
    await eventually(async () => expect(events.typesFor(instanceId)).toContain('process.activated'), DEADLINE_MS);
  });

  it('complete', async () => {
    const { instanceId, taskId } = await startTicket();
    await engineRest('POST', `/task/${taskId}/complete`, { variables: { approved: { value: false, type: 'Boolean' } } });
    await eventually(async () => {
      expect(await row('SELECT state FROM process_instances WHERE id = $1', instanceId)).toEqual({ state: 'COMPLETED' });
      expect(events.typesFor(instanceId).slice(-2)).toEqual(['task.completed', 'process.completed']);
    }, DEADLINE_MS);
  });

  it('cancel an instance', async () => {
    const { instanceId } = await startTicket();
    await engineRest('DELETE', `/process-instance/${instanceId}`);
    await eventually(async () => {
      expect(await row('SELECT state FROM process_instances WHERE id = $1', instanceId)).toEqual({ state: 'EXTERNALLY_TERMINATED' });
      expect(events.typesFor(instanceId).slice(-2)).toEqual(['task.deleted', 'process.terminated']);
    }, DEADLINE_MS);
  });

  it('delete a deployment with cascade', async () => {
    const key = `cascade${run}`;
    const deployment = await gateway.http.post('/deployments').field('name', key).attach('model', userTaskProcess(key), `${key}.bpmn`).expect(201);
    const instance = await gateway.http.post('/process-instances').send({ processDefinitionKey: key }).expect(201);
    await engineRest('DELETE', `/deployment/${deployment.body.id}?cascade=true`);
    await eventually(async () => {
      expect(await row('SELECT state, delete_reason FROM process_instances WHERE id = $1', instance.body.id)).toEqual({
        state: 'EXTERNALLY_TERMINATED',
        delete_reason: 'removed from engine',
      });
      expect(events.typesFor(instance.body.id).slice(-1)).toEqual(['process.terminated']);
      expect(await row('SELECT id FROM process_definitions WHERE deployment_id = $1', deployment.body.id)).toBeUndefined();
    }, DEADLINE_MS);
  });

  it('an incident from a failing external task, and its resolution', async () => {
    const { instanceId, deploymentId, externalTaskId } = await failingExternalTask(`incident${run}`, DEADLINE_MS);
    await eventually(async () => {
      expect(await row('SELECT type, state, message, configuration FROM incidents WHERE process_instance_id = $1', instanceId)).toEqual({
        type: 'failedExternalTask',
        state: 'OPEN',
        message: 'Provider down',
        configuration: externalTaskId,
      });
      expect(lastEvent(instanceId, 'incident.created')?.body.data).toMatchObject({ incidentType: 'failedExternalTask', message: 'Provider down' });
    }, DEADLINE_MS);

    await engineRest('PUT', `/external-task/${externalTaskId}/retries`, { retries: 1 });
    await eventually(async () => {
      expect(await row('SELECT state FROM incidents WHERE process_instance_id = $1', instanceId)).toEqual({ state: 'RESOLVED' });
      expect(lastEvent(instanceId, 'incident.resolved')?.body.data).toMatchObject({ resolution: 'RESOLVED' });
    }, DEADLINE_MS);
    await engineRest('DELETE', `/deployment/${deploymentId}?cascade=true`);
  });

  it('a variable set on engine-rest', async () => {
    const { instanceId } = await startTicket();
    await engineRest('PUT', `/process-instance/${instanceId}/variables/priority`, { value: 'high', type: 'String' });
    await eventually(
      async () =>
        expect(await row('SELECT type, value, scope FROM variables WHERE process_instance_id = $1 AND name = $2', instanceId, 'priority')).toEqual({
          type: 'String',
          value: 'high',
          scope: 'process',
        }),
      DEADLINE_MS,
    );
  });

  it('the full reconcile finds and fixes drift the poll cannot see, and reports it', async () => {
    const startedAt = Date.now();
    const wrongAssignee = await startTicket();
    const forgotten = await startTicket();
    const contents = await startTicket();
    const untouched = await startTicket();
    for (const { instanceId } of [contents, untouched]) {
      await engineRest('POST', `/process-instance/${instanceId}/variables`, {
        modifications: {
          note: { value: 'keep me', type: 'String' },
          order: { value: JSON.stringify({ lines: [{ sku: 'A-1', qty: 2 }], rush: false }), type: 'Json' },
          dueOn: { value: '2026-12-24T12:00:00.000+0000', type: 'Date' },
          amount: { value: 12.5, type: 'Double' },
        },
      });
    }
    const incident = await failingExternalTask(`reconcile${run}`);
    // Drift the poll would fix by itself tests nothing: wait until all of it is behind every poll's window. That is
    // twice the overlap behind the cursor: a gateway that boots meanwhile (other test files run theirs on this
    // mirror and may take the poll) makes a deep first poll from there, and it would mend what a refresh mends.
    const mirrored = Date.now();
    await eventually(async () => {
      const cursor = await row<{ position: Date }>(`SELECT position FROM sync_cursors WHERE name = 'engine-changes'`);
      expect(cursor!.position.getTime() - 2 * OVERLAP_MS).toBeGreaterThan(mirrored);
    }, 20_000);
    expect(startedAt).toBeLessThan(mirrored);
    const readAt = async (instanceId: string) =>
      (await row<{ read: Date }>('SELECT snapshot_read_at AS read FROM process_instances WHERE id = $1', instanceId))!.read;
    const untouchedReadAt = await readAt(untouched.instanceId);
    // Drift injected behind the gateway's back: a wrong assignee, an instance the mirror lost, and in the contents
    // of open instances a changed and a stale variable, lost candidates and a lost incident.
    await mirror.query(`UPDATE tasks SET assignee = 'ghost', state = 'ASSIGNED' WHERE id = $1`, [wrongAssignee.taskId]);
    await mirror.query('DELETE FROM tasks WHERE process_instance_id = $1', [forgotten.instanceId]);
    await mirror.query('DELETE FROM process_instances WHERE id = $1', [forgotten.instanceId]);
    await mirror.query(`UPDATE variables SET value = '"tampered"' WHERE process_instance_id = $1 AND name = 'note'`, [contents.instanceId]);
    await mirror.query(
      `INSERT INTO variables (id, process_instance_id, name, type, value, value_info, scope, last_synced_at)
       VALUES ($1, $2, 'stale', 'String', '"gone"', '{}', 'process', now())`,
      [`stale-${run}`, contents.instanceId],
    );
    await mirror.query(`UPDATE tasks SET candidate_groups = '{}' WHERE id = $1`, [contents.taskId]);
    await mirror.query('DELETE FROM incidents WHERE process_instance_id = $1', [incident.instanceId]);

    const result = await gateway.http.post('/sync/reconcile').expect(200);
    expect(result.body.ran).toBe(true);
    // At least: other runs' instances on the shared engine may have drifted too.
    expect(result.body.changesApplied).toBeGreaterThanOrEqual(4);
    expect(await row('SELECT assignee, state FROM tasks WHERE id = $1', wrongAssignee.taskId)).toEqual({ assignee: null, state: 'CREATED' });
    expect(await row('SELECT state FROM process_instances WHERE id = $1', forgotten.instanceId)).toEqual({ state: 'ACTIVE' });
    const variables = await mirror.query('SELECT name, value FROM variables WHERE process_instance_id = $1 ORDER BY name', [contents.instanceId]);
    expect(variables.rows.map((variable: { name: string }) => variable.name)).not.toContain('stale');
    expect(variables.rows.find((variable: { name: string }) => variable.name === 'note')).toEqual({ name: 'note', value: 'keep me' });
    expect(await row('SELECT candidate_groups FROM tasks WHERE id = $1', contents.taskId)).toEqual({ candidate_groups: ['managers'] });
    expect(await row('SELECT type, state, message FROM incidents WHERE process_instance_id = $1', incident.instanceId)).toEqual({
      type: 'failedExternalTask',
      state: 'OPEN',
      message: 'Provider down',
    });
    const status = await gateway.http.get('/sync/status').expect(200);
    const reconcile = status.body.cursors.find((cursor: { name: string }) => cursor.name === 'reconcile');
    expect(reconcile).toMatchObject({ lastError: null, lastRunChanges: result.body.changesApplied });
    expect(reconcile.lastRunInstances).toBeGreaterThan(0);
    // What agrees with the engine is compared, not refreshed: an instance with the same variable types stays as read,
    // and so does what the reconcile mended, when the next one runs.
    expect(await readAt(untouched.instanceId)).toEqual(untouchedReadAt);
    const mended = [wrongAssignee, forgotten, contents, incident].map((each) => each.instanceId);
    const mendedReadAt = await Promise.all(mended.map(readAt));
    await gateway.http.post('/sync/reconcile').expect(200);
    expect(await Promise.all(mended.map(readAt))).toEqual(mendedReadAt);
    expect(await readAt(untouched.instanceId)).toEqual(untouchedReadAt);

    await engineRest('DELETE', `/deployment/${incident.deploymentId}?cascade=true`);
  });

  it('published only events that conform to docs/events.schema.json', () => {
    expect(events.received.length).toBeGreaterThan(0);
    expect(events.schemaViolations()).toEqual([]);
  });
});
