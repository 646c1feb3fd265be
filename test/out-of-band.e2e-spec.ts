import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { EventCollector } from './support/event-collector.js';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { testEnv } from './support/test-env.js';

/** Changes made straight on the engine, as Cockpit and Tasklist make them, reach the mirror by the scheduled sync alone. */
describe('out-of-band changes reach the mirror through the scheduled sync', () => {
  let gateway: RunningGateway;
  let events: EventCollector;
  // The mirror is read straight from PostgreSQL, so no gateway request can trigger a refresh.
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });

  beforeAll(async () => {
    gateway = await startGateway();
    events = await EventCollector.bind();
    await mirror.connect();
  });

  afterAll(async () => {
    await mirror.end();
    await events?.close();
    await gateway?.close();
  });

  async function mirroredTasks(processInstanceId: string) {
    const { rows } = await mirror.query('SELECT id, state, assignee FROM tasks WHERE process_instance_id = $1', [processInstanceId]);
    return rows as { id: string; state: string; assignee: string | null }[];
  }

  async function mirroredInstanceState(processInstanceId: string): Promise<string | undefined> {
    const { rows } = await mirror.query('SELECT state FROM process_instances WHERE id = $1', [processInstanceId]);
    return rows[0]?.state;
  }

  it('an instance started, claimed and completed on engine-rest shows up in the mirror with its events', async () => {
    const businessKey = `OOB-${randomUUID()}`;
    const started = await engineRest<{ id: string }>('POST', '/process-definition/key/ticket-approval/start', { businessKey });
    await eventually(async () => expect(await mirroredTasks(started.id)).toEqual([expect.objectContaining({ state: 'CREATED', assignee: null })]), 5_000);
    const [task] = await mirroredTasks(started.id);

    await engineRest('POST', `/task/${task.id}/claim`, { userId: 'demo' });
    await eventually(async () => expect(await mirroredTasks(started.id)).toEqual([expect.objectContaining({ state: 'ASSIGNED', assignee: 'demo' })]), 5_000);

    await engineRest('POST', `/task/${task.id}/complete`, { variables: { approved: { value: false, type: 'Boolean' } } });
    await eventually(async () => {
      expect(await mirroredTasks(started.id)).toEqual([expect.objectContaining({ state: 'COMPLETED' })]);
      expect(await mirroredInstanceState(started.id)).toBe('COMPLETED');
    }, 5_000);

    await eventually(() =>
      expect(events.typesFor(started.id)).toEqual(['process.started', 'task.created', 'task.assigned', 'task.completed', 'process.completed']),
    );
  });

  it('an out-of-band claim is refreshed once, not again by every poll whose overlap window still covers it', async () => {
    const started = await engineRest<{ id: string }>('POST', '/process-definition/key/ticket-approval/start', { businessKey: `OOB-ONCE-${randomUUID()}` });
    await eventually(async () => expect(await mirroredTasks(started.id)).toHaveLength(1), 5_000);
    const [task] = await mirroredTasks(started.id);
    await engineRest('POST', `/task/${task.id}/claim`, { userId: 'demo' });
    await eventually(async () => expect(await mirroredTasks(started.id)).toEqual([expect.objectContaining({ assignee: 'demo' })]), 5_000);
    const readAt = async () =>
      (await mirror.query('SELECT snapshot_read_at FROM process_instances WHERE id = $1', [started.id])).rows[0].snapshot_read_at.getTime();
    const refreshedAt = await readAt();

    // Polls every 500 ms look back 3 s (the suite's SYNC_OVERLAP_MS): several of them see the claim again. Every
    // refresh writes the instance row with the time its read began, so one that ran again would show.
    await new Promise((resolve) => setTimeout(resolve, 3_000 + 2 * 500));
    expect(await readAt()).toBe(refreshedAt);
    expect(events.typesFor(started.id)).toEqual(['process.started', 'task.created', 'task.assigned']);
  });

  it('a task the gateway created and Tasklist completed is COMPLETED in the mirror after the scheduled sync', async () => {
    const created = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `OOB-${randomUUID()}` })
      .expect(201);
    const [task] = await mirroredTasks(created.body.id);
    expect(task).toMatchObject({ state: 'CREATED' });

    await engineRest('POST', `/task/${task.id}/complete`, { variables: { approved: { value: false, type: 'Boolean' } } });
    expect((await mirroredTasks(created.body.id))[0]).toMatchObject({ state: 'CREATED' });

    await eventually(async () => {
      expect((await mirroredTasks(created.body.id))[0]).toMatchObject({ state: 'COMPLETED' });
      expect(await mirroredInstanceState(created.body.id)).toBe('COMPLETED');
    }, 5_000);
    await eventually(() => expect(events.typesFor(created.body.id)).toContain('process.completed'));
  });

  it('an instance cancelled in Cockpit is EXTERNALLY_TERMINATED, not COMPLETED, and its open task is deleted', async () => {
    const created = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `OOB-${randomUUID()}` })
      .expect(201);
    await engineRest('DELETE', `/process-instance/${created.body.id}`);

    await eventually(async () => {
      expect(await mirroredInstanceState(created.body.id)).toBe('EXTERNALLY_TERMINATED');
      expect((await mirroredTasks(created.body.id))[0]).toMatchObject({ state: 'DELETED' });
    }, 5_000);
    await eventually(() => expect(events.typesFor(created.body.id)).toEqual(['process.started', 'task.created', 'task.deleted', 'process.terminated']));
    expect(events.forInstance(created.body.id).at(-1)?.body.data).toMatchObject({ state: 'EXTERNALLY_TERMINATED' });
  });

  it('reports the scheduled sync in /sync/status', async () => {
    const response = await gateway.http.get('/sync/status').expect(200);
    const cursor = response.body.cursors.find((candidate: { name: string }) => candidate.name === 'engine-changes');
    expect(cursor).toMatchObject({ lastError: null });
    expect(cursor.lagMs).toBeLessThan(5_000);
    expect(response.body.outbox).toMatchObject({ brokerConnected: true });
  });
});
