import { randomUUID } from 'node:crypto';
import { EventCollector } from './support/event-collector.js';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';

/**
 * A claim or a suspension undone before the next poll leaves no trace in the engine's state, only in its
 * user-operation log, which the poll reads: an audit consumer still gets both changes. The polls here run only when
 * asked, so both changes surely fall between two of them.
 */
describe('transitions between two polls, from the user-operation log', () => {
  let gateway: RunningGateway;
  let events: EventCollector;

  beforeAll(async () => {
    gateway = await startGateway({ SYNC_INTERVAL_MS: '3600000' });
    events = await EventCollector.bind();
  });

  afterAll(async () => {
    await events?.close();
    await gateway?.close();
  });

  const assignments = (processInstanceId: string) =>
    events
      .forInstance(processInstanceId)
      .filter((event) => event.routingKey === 'task.assigned')
      .map((event) => [event.body.data.previousAssignee, event.body.data.assignee]);

  async function openTicket(): Promise<{ instanceId: string; taskId: string }> {
    const started = await engineRest<{ id: string }>('POST', '/process-definition/key/ticket-approval/start', { businessKey: `CLAIMS-${randomUUID()}` });
    await gateway.http.post('/sync/run').expect(200);
    await eventually(() => expect(events.typesFor(started.id)).toEqual(['process.started', 'task.created']));
    const [task] = await engineRest<{ id: string }[]>('GET', `/task?processInstanceId=${started.id}`);
    return { instanceId: started.id, taskId: task.id };
  }

  it('a claim and an unclaim between two polls are both published, in order', async () => {
    const { instanceId, taskId } = await openTicket();
    await engineRest('POST', `/task/${taskId}/claim`, { userId: 'demo' });
    await engineRest('POST', `/task/${taskId}/unclaim`);
    await gateway.http.post('/sync/run').expect(200);
    await eventually(() =>
      expect(assignments(instanceId)).toEqual([
        [null, 'demo'],
        ['demo', null],
      ]),
    );
  });

  it('a claim through the gateway is published once, and a hand-over and back in Tasklist after it as two more', async () => {
    const { instanceId, taskId } = await openTicket();
    await gateway.http.post(`/tasks/${taskId}/claim`).send({ userId: 'demo' }).expect(200);
    await engineRest('POST', `/task/${taskId}/assignee`, { userId: 'mary' });
    await engineRest('POST', `/task/${taskId}/assignee`, { userId: 'demo' });
    await gateway.http.post('/sync/run').expect(200);
    // And a poll more, whose window still lists all three entries: nothing is published again.
    await gateway.http.post('/sync/run').expect(200);
    await eventually(() =>
      expect(assignments(instanceId)).toEqual([
        [null, 'demo'],
        ['demo', 'mary'],
        ['mary', 'demo'],
      ]),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(assignments(instanceId)).toHaveLength(3);
  });

  it('a suspension and an activation between two polls are both published, in order', async () => {
    const { instanceId } = await openTicket();
    await engineRest('PUT', `/process-instance/${instanceId}/suspended`, { suspended: true });
    await engineRest('PUT', `/process-instance/${instanceId}/suspended`, { suspended: false });
    await gateway.http.post('/sync/run').expect(200);
    await eventually(() => expect(events.typesFor(instanceId)).toEqual(['process.started', 'task.created', 'process.suspended', 'process.activated']));
  });
});
