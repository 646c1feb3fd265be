import { randomUUID } from 'node:crypto';
import { engineProduct } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';

describe('ticket approval end to end (real engine, PostgreSQL, RabbitMQ)', () => {
  let gateway: RunningGateway;
  let events: EventCollector;

  beforeAll(async () => {
    gateway = await startGateway();
    events = await EventCollector.bind();
  });

  afterAll(async () => {
    await events?.close();
    await gateway?.close();
  });

  async function submitTicket(businessKey: string): Promise<string> {
    const response = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey, variables: { title: 'Laptop broken', amount: 1200, details: { floor: 3 } } })
      .expect(201);
    expect(response.body).toMatchObject({ businessKey, definitionKey: 'ticket-approval', state: 'ACTIVE', endedAt: null });
    return response.body.id;
  }

  async function approveOrReject(processInstanceId: string, approved: boolean): Promise<void> {
    const listed = await gateway.http.get('/tasks').query({ processInstanceId, candidateGroup: 'managers' }).expect(200);
    expect(listed.body.items).toHaveLength(1);
    const task = listed.body.items[0];
    expect(task).toMatchObject({ name: 'Manager Approval', state: 'CREATED', assignee: null, candidateGroups: ['managers'] });

    const claimed = await gateway.http.post(`/tasks/${task.id}/claim`).send({ userId: 'demo' }).expect(200);
    expect(claimed.body).toMatchObject({ id: task.id, assignee: 'demo', state: 'ASSIGNED' });
    const mine = await gateway.http.get('/tasks').query({ assignee: 'demo', processInstanceId }).expect(200);
    expect(mine.body.items.map((listedTask: { id: string }) => listedTask.id)).toEqual([task.id]);

    const completed = await gateway.http.post(`/tasks/${task.id}/complete`).send({ variables: { approved } }).expect(200);
    expect(completed.body).toMatchObject({ id: task.id, state: 'COMPLETED' });
    await gateway.http.get('/tasks').query({ processInstanceId }).expect(200, { items: [], nextCursor: null });
  }

  it('lists the deployed ticket-approval definition from the mirror', async () => {
    const response = await gateway.http.get('/process-definitions').query({ key: 'ticket-approval', latestOnly: true }).expect(200);
    // Every workspace's tenant holds the bundled models too: the latest version is one per tenant, and one of no tenant.
    const untenanted = (response.body as { tenantId: string | null }[]).filter((definition) => definition.tenantId === null);
    expect(untenanted).toHaveLength(1);
    expect(untenanted[0]).toMatchObject({ key: 'ticket-approval', name: 'Ticket approval', resourceName: 'ticket-approval.bpmn', suspended: false });
  });

  it('approved: the worker processes the ticket, the mirror shows COMPLETED, and consumers get every event in order', async () => {
    const businessKey = `TICKET-${randomUUID()}`;
    const id = await submitTicket(businessKey);
    await approveOrReject(id, true);

    await eventually(async () => {
      const instance = await gateway.http.get(`/process-instances/${id}`).expect(200);
      expect(instance.body).toMatchObject({ state: 'COMPLETED', businessKey });
      expect(instance.body.endedAt).not.toBeNull();
    }, 20_000);

    await eventually(() =>
      expect(events.typesFor(id)).toEqual(['process.started', 'task.created', 'task.assigned', 'task.completed', 'ticket.processed', 'process.completed']),
    );
    const received = events.forInstance(id);
    expect(received.map((event) => event.body.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(received.map((event) => event.messageId)).size).toBe(received.length);
    for (const event of received) {
      expect(event.persistent).toBe(true);
      expect(event.contentType).toBe('application/json');
      expect(event.body).toMatchObject({
        id: event.messageId,
        type: event.routingKey,
        processInstanceId: id,
        businessKey,
        processDefinitionKey: 'ticket-approval',
      });
      expect(Number.isNaN(Date.parse(event.body.time))).toBe(false);
    }
    expect(received.find((event) => event.routingKey === 'ticket.processed')?.body.data).toMatchObject({ ticketStatus: 'PROCESSED' });
    // Start, claim and completion were gateway requests: their events name them, in the body and the header. The
    // worker's own event has no request behind it, unless it was written while the completion that led to it was
    // still in flight: then it names that command, its caller and its request alike (docs/events.md).
    for (const event of received.slice(0, 4)) {
      expect(event.body.requestId).toEqual(expect.any(String));
      expect(event.headers['x-request-id']).toBe(event.body.requestId);
    }
    expect(new Set(received.slice(0, 4).map((event) => event.body.requestId)).size).toBe(3);
    const processed = received.find((event) => event.routingKey === 'ticket.processed')!.body;
    expect(processed.requestId).toBe(processed.actor ? received[3].body.requestId : null);
  });

  it('rejected: the process ends in the mirror without ticket.processed', async () => {
    const businessKey = `TICKET-${randomUUID()}`;
    const id = await submitTicket(businessKey);
    await approveOrReject(id, false);

    const instance = await gateway.http.get(`/process-instances/${id}`).expect(200);
    expect(instance.body).toMatchObject({ state: 'COMPLETED', businessKey });
    // process.completed is the instance's last event, so once it is here nothing can still be on its way.
    await eventually(() => expect(events.typesFor(id)).toEqual(['process.started', 'task.created', 'task.assigned', 'task.completed', 'process.completed']));
  });

  it('published only events that conform to docs/events.schema.json', () => {
    expect(events.received.length).toBeGreaterThan(0);
    expect(events.schemaViolations()).toEqual([]);
  });
});

describe('ops endpoints', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
    await gateway.http.post('/sync/run').expect(200);
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('health reports every dependency up', async () => {
    const response = await gateway.http.get('/health').expect(200);
    expect(response.body.status).toBe('ok');
    expect(Object.keys(response.body.details).sort()).toEqual(['camunda', 'database', 'rabbitmq', 'sync', 'workers']);
    const engine = await engineProduct();
    expect(response.body.details.camunda.version).toBe(engine.version);
    // Operaton numbers its own releases from 1.0.
    expect(response.body.details.camunda.version).toMatch(engine.product === 'Operaton' ? /^1\.\d+\.\d+$/ : /^7\.\d+\.\d+$/);
  });

  it('metrics expose sync lag and the outbox backlog', async () => {
    const response = await gateway.http.get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/^camunda_gateway_sync_lag_seconds\{cursor="engine-changes"\} \d/m);
    expect(response.text).toMatch(/^camunda_gateway_outbox_pending_events \d+$/m);
  });

  it('serves the OpenAPI document', async () => {
    const response = await gateway.http.get('/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/process-instances', '/tasks/{id}/claim', '/tasks/{id}/complete', '/sync/status']),
    );
  });
});
