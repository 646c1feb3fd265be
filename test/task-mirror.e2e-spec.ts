import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';

// Its own exchange: other gateways on this engine mirror these instances too, and publish their own events for them.
const EXCHANGE = 'camunda.events.task-mirror';

/** Tasks as the engine has them, whoever changed them: the mirror and the events describe the task as it was. */
describe('tasks in the mirror', () => {
  const run = randomUUID().slice(0, 8);
  const created: string[] = [];
  let gateway: RunningGateway;
  let events: EventCollector;

  async function startTicket(): Promise<{ instanceId: string; taskId: string }> {
    const started = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `TASKS-${run}` })
      .expect(201);
    created.push(started.body.id);
    const tasks = await gateway.http.get(`/tasks?processInstanceId=${started.body.id}`).expect(200);
    return { instanceId: started.body.id, taskId: tasks.body.items[0].id };
  }

  function lastEvent(instanceId: string, type: string) {
    return events
      .forInstance(instanceId)
      .filter((event) => event.routingKey === type)
      .at(-1);
  }

  beforeAll(async () => {
    gateway = await startGateway({ EVENTS_EXCHANGE: EXCHANGE, WORKERS_ENABLED: 'false' });
    await eventually(async () => expect((await gateway.http.get('/sync/status').expect(200)).body.outbox.brokerConnected).toBe(true));
    events = await EventCollector.bind(EXCHANGE);
  });

  afterAll(async () => {
    await events?.close();
    await gateway?.close();
    for (const id of created) await engineRest('DELETE', `/process-instance/${id}`).catch(() => undefined);
  });

  it('a task completed out of band is announced with the candidates it had', async () => {
    const { instanceId, taskId } = await startTicket();
    await engineRest('POST', `/task/${taskId}/complete`, { variables: { approved: { value: false, type: 'Boolean' } } });
    await eventually(
      () => expect(lastEvent(instanceId, 'task.completed')?.body.data).toMatchObject({ taskId, candidateGroups: ['managers'], candidateUsers: [] }),
      10_000,
    );
    expect(lastEvent(instanceId, 'task.created')?.body.data).toMatchObject({ candidateGroups: ['managers'] });
    const task = await gateway.http.get(`/tasks/${taskId}`).expect(200);
    expect(task.body).toMatchObject({ state: 'COMPLETED', candidateGroups: ['managers'] });
  });

  it('a task deleted with its instance out of band is announced with the candidates it had', async () => {
    const { instanceId, taskId } = await startTicket();
    await engineRest('DELETE', `/process-instance/${instanceId}`);
    await eventually(() => expect(lastEvent(instanceId, 'task.deleted')?.body.data).toMatchObject({ taskId, candidateGroups: ['managers'] }), 10_000);
  });

  it('a task of an instance suspended out of band reads as suspended, and the task list filters on it', async () => {
    const { instanceId, taskId } = await startTicket();
    const listed = async (suspended: boolean) =>
      (await gateway.http.get(`/tasks?processInstanceId=${instanceId}&suspended=${suspended}`).expect(200)).body.items.map((task: { id: string }) => task.id);
    expect((await gateway.http.get(`/tasks/${taskId}`).expect(200)).body).toMatchObject({ suspended: false });

    await engineRest('PUT', `/process-instance/${instanceId}/suspended`, { suspended: true });
    await eventually(
      async () => expect((await gateway.http.get(`/tasks/${taskId}`).expect(200)).body).toMatchObject({ state: 'CREATED', suspended: true }),
      10_000,
    );
    expect(await listed(true)).toEqual([taskId]);
    expect(await listed(false)).toEqual([]);

    await engineRest('PUT', `/process-instance/${instanceId}/suspended`, { suspended: false });
    await eventually(async () => expect((await gateway.http.get(`/tasks/${taskId}`).expect(200)).body).toMatchObject({ suspended: false }), 10_000);
    expect(await listed(false)).toEqual([taskId]);
    expect(await listed(true)).toEqual([]);
    await gateway.http.get('/tasks?suspended=maybe').expect(400);
  });

  it('published only events that conform to docs/events.schema.json', () => {
    expect(events.received.length).toBeGreaterThan(0);
    expect(events.schemaViolations()).toEqual([]);
  });
});
