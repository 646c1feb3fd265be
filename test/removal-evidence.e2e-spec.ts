import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { RecordingProxy, type RecordedRequest } from './support/recording-proxy.js';
import { testEnv } from './support/test-env.js';

const EXCHANGE = 'camunda.events.removal-evidence';

/** Only the engine's answer "no such instance" to a query for it marks an instance removed, and that mark can be undone. */
describe('removal needs evidence', () => {
  const proxy = new RecordingProxy(new URL(testEnv.camundaUrl));
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  const run = randomUUID().slice(0, 8);
  const created: string[] = [];
  let gateway: RunningGateway;
  let events: EventCollector;

  async function rows<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    return (await mirror.query(sql, params)).rows as T[];
  }

  async function startTicket(): Promise<{ instanceId: string; taskId: string }> {
    const started = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `REMOVAL-${run}` })
      .expect(201);
    created.push(started.body.id);
    const [task] = await rows<{ id: string }>('SELECT id FROM tasks WHERE process_instance_id = $1', started.body.id);
    return { instanceId: started.body.id, taskId: task.id };
  }

  /** Whether a request to the engine reads this instance's history record. */
  function readsInstance(request: RecordedRequest, instanceId: string): boolean {
    if (request.method === 'GET') return request.path === `/history/process-instance/${instanceId}`;
    if (request.method !== 'POST' || request.path !== '/history/process-instance') return false;
    const query = JSON.parse(request.body.toString() || '{}') as { processInstanceIds?: string[]; withIncidents?: boolean };
    return !query.withIncidents && (query.processInstanceIds ?? []).includes(instanceId);
  }

  beforeAll(async () => {
    await proxy.start();
    gateway = await startGateway({
      CAMUNDA_URL: proxy.url,
      // Its own exchange: other gateways on this engine mirror these instances too, and publish their own events for them.
      EVENTS_EXCHANGE: EXCHANGE,
      WORKERS_ENABLED: 'false',
      SYNC_PARKED_RETRY_MIN_MS: '300',
      SYNC_PARKED_RETRY_MAX_MS: '1000',
    });
    await eventually(async () => expect((await gateway.http.get('/sync/status').expect(200)).body.outbox.brokerConnected).toBe(true));
    events = await EventCollector.bind(EXCHANGE);
    await mirror.connect();
  });

  afterAll(async () => {
    proxy.fault = null;
    await mirror.end();
    await events?.close();
    await gateway?.close();
    await proxy.stop();
    for (const id of created) await engineRest('DELETE', `/process-instance/${id}`).catch(() => undefined);
  });

  it('a failed read (404, or a 500 saying "not found") parks the instance instead of terminating it', async () => {
    const { instanceId, taskId } = await startTicket();
    let failures = 0;
    proxy.fault = (request) => {
      if (!readsInstance(request, instanceId)) return undefined;
      failures += 1;
      return failures % 2 === 1
        ? { status: 404, body: { type: 'InvalidRequestException', message: `Historic process instance with id ${instanceId} does not exist` } }
        : { status: 500, body: { type: 'ProcessEngineException', message: 'not found' } };
    };
    await engineRest('POST', `/task/${taskId}/claim`, { userId: 'evidence' });

    await eventually(
      async () =>
        expect(
          (await rows<{ attempts: number }>('SELECT attempts FROM parked_instances WHERE instance_id = $1', instanceId))[0]?.attempts,
        ).toBeGreaterThanOrEqual(2),
      10_000,
    );
    expect(await rows('SELECT state FROM process_instances WHERE id = $1', instanceId)).toEqual([{ state: 'ACTIVE' }]);

    proxy.fault = null;
    await eventually(async () => {
      expect(await rows('SELECT instance_id FROM parked_instances WHERE instance_id = $1', instanceId)).toEqual([]);
      expect(await rows('SELECT state, assignee FROM tasks WHERE id = $1', taskId)).toEqual([{ state: 'ASSIGNED', assignee: 'evidence' }]);
    }, 10_000);
    await eventually(() => expect(events.typesFor(instanceId)).toEqual(['process.started', 'task.created', 'task.assigned']));
    expect(await rows('SELECT state FROM process_instances WHERE id = $1', instanceId)).toEqual([{ state: 'ACTIVE' }]);
  });

  it('an instance marked removed that the engine shows again is restored, with an event that says so', async () => {
    const { instanceId, taskId } = await startTicket();
    // The engine answers the query for it with no row, as it does for an instance hidden by a lost tenant membership.
    proxy.fault = (request) => (readsInstance(request, instanceId) ? { status: 200, body: [] } : undefined);
    await engineRest('POST', `/task/${taskId}/claim`, { userId: 'returning' });
    await eventually(async () => {
      expect(await rows('SELECT state, delete_reason FROM process_instances WHERE id = $1', instanceId)).toEqual([
        { state: 'EXTERNALLY_TERMINATED', delete_reason: 'removed from engine' },
      ]);
      // A poll already reading the instance when the fault began may have seen the claim first.
      expect(events.typesFor(instanceId).filter((type) => type !== 'task.assigned')).toEqual([
        'process.started',
        'task.created',
        'task.deleted',
        'process.terminated',
      ]);
    }, 10_000);
    const beforeRestore = events.typesFor(instanceId).length;

    proxy.fault = null;
    await gateway.http.post('/sync/reconcile').expect(200);
    expect(await rows('SELECT state, ended_at, delete_reason FROM process_instances WHERE id = $1', instanceId)).toEqual([
      { state: 'ACTIVE', ended_at: null, delete_reason: null },
    ]);
    expect(await rows('SELECT state, assignee, ended_at FROM tasks WHERE id = $1', taskId)).toEqual([
      { state: 'ASSIGNED', assignee: 'returning', ended_at: null },
    ]);
    await eventually(() => expect(events.typesFor(instanceId).slice(beforeRestore)).toEqual(['process.restored', 'task.created', 'task.assigned']));
    expect(events.forInstance(instanceId).find((event) => event.routingKey === 'process.restored')?.body.data).toMatchObject({ state: 'ACTIVE' });
    const task = await gateway.http.get(`/tasks/${taskId}`).expect(200);
    expect(task.body).toMatchObject({ state: 'ASSIGNED', assignee: 'returning', candidateGroups: ['managers'] });
  });

  it('published only events that conform to docs/events.schema.json', () => {
    expect(events.received.length).toBeGreaterThan(0);
    expect(events.schemaViolations()).toEqual([]);
  });
});
