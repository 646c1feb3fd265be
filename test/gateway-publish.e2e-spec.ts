import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { HeldEvents } from '../src/events/held-events.js';
import { InstanceRefresher } from '../src/sync/instance-refresher.js';
import { PUBLISH_TOPIC, PublishEventWorker } from '../src/workers/publish-event.worker.js';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { deployExternalTaskModel, externalTaskLog, openIncident, startInstance } from './support/external-task-models.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';

const run = randomUUID().slice(0, 8);
const eventType = `published.r${run}`;
const key = `itpublish${run}`;
const badKey = `itpublishbad${run}`;
// A topic no worker serves: the test plays both attempts at the task itself.
const heldKey = `itpublishheld${run}`;
const payload = { ticket: `T-${run}`, lines: [1, 2, 3], nested: { ok: true } };
// Instances left open (an incident, a user task), deleted at the end: the engine is shared with every later run.
const leftOpen: string[] = [];

interface LockedTask {
  id: string;
  processInstanceId: string;
  processDefinitionKey: string;
  activityId: string;
}

describe(`${PUBLISH_TOPIC}: a model publishes to RabbitMQ without code`, () => {
  let events: EventCollector;
  let gateway: RunningGateway | undefined;

  beforeAll(async () => {
    await deployExternalTaskModel({ key, topic: PUBLISH_TOPIC, inputs: { eventType, payload: '${ticketPayload}' }, userTaskAfter: true });
    await deployExternalTaskModel({ key: badKey, topic: PUBLISH_TOPIC, inputs: { eventType: 'not a routing key #' } });
    await deployExternalTaskModel({ key: heldKey, topic: `itnobody${run}` });
    events = await EventCollector.bind();
  });

  afterAll(async () => {
    await gateway?.close();
    await events?.close();
    for (const instanceId of leftOpen) await engineRest('DELETE', `/process-instance/${instanceId}`).catch(() => undefined);
  });

  it("publishes once, in order with the instance's other events, even when the task is redelivered after its lock expired", async () => {
    const crashing = await startGateway({ WORKERS_ENABLED: 'false' });
    const instanceId = await startInstance(key, { ticketPayload: { value: JSON.stringify(payload), type: 'Json' } });
    leftOpen.push(instanceId);
    // A first gateway takes the task, writes its event, and dies before the engine hears of the completion.
    const [task] = await engineRest<LockedTask[]>('POST', '/external-task/fetchAndLock', {
      workerId: `crashing-${run}`,
      maxTasks: 1,
      topics: [{ topicName: PUBLISH_TOPIC, lockDuration: 1_500, processDefinitionKey: key }],
    });
    expect(task).toMatchObject({ processInstanceId: instanceId });
    const firstDelivery = await crashing.app.get(PublishEventWorker).handle({
      ...task,
      topic: PUBLISH_TOPIC,
      businessKey: null,
      tenantId: null,
      attempt: 1,
      variables: { eventType, payload },
      signal: new AbortController().signal,
    });
    await crashing.app.get(InstanceRefresher).refreshInstance(instanceId, { domainEvents: firstDelivery.events });
    await eventually(() => expect(events.typesFor(instanceId)).toContain(`model.${eventType}`), 10_000, 100);
    await crashing.close();

    gateway = await startGateway({ WORKERS_ENABLED: 'true' });
    await eventually(() => expect(events.typesFor(instanceId)).toContain('task.created'), 20_000, 100);

    expect(events.typesFor(instanceId)).toEqual(['process.started', `model.${eventType}`, 'task.created']);
    const published = events.forInstance(instanceId).find((event) => event.routingKey === `model.${eventType}`)!;
    expect(published.body).toMatchObject({ type: `model.${eventType}`, processDefinitionKey: key, data: payload });
    expect(events.forInstance(instanceId).map((event) => event.body.sequence)).toEqual([1, 2, 3]);
    expect(events.schemaViolations()).toEqual([]);
    const successes = (await externalTaskLog(instanceId)).filter((entry) => entry.successLog);
    expect(successes.map((entry) => entry.workerId)).toEqual([`camunda-gateway-${hostname()}-${process.pid}`]);
  });

  describe('attempts at one task that both wrote its events', () => {
    let holder: RunningGateway;
    const heldEvent = (id: string, heldBy: string) => ({ id, type: `model.${eventType}` as const, data: payload, holdMs: 60_000, heldBy });
    const heldBy = async (id: string) =>
      (await holder.app.get(DataSource).query<{ held_by: string[] }[]>(`SELECT held_by FROM outbox_events WHERE id = $1`, [id]))[0]?.held_by;
    /** The instance's events once the relay published what it will, checked again a moment later: each exactly once. */
    const publishedOnce = async (instanceId: string, ids: string[]) => {
      const expected = ['process.started', ...ids.map(() => `model.${eventType}`)];
      await eventually(() => expect(events.typesFor(instanceId)).toEqual(expected), 15_000, 100);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const published = events.forInstance(instanceId);
      expect(published.map((event) => event.body.id).slice(1)).toEqual(ids);
      expect(published.map((event) => event.body.sequence)).toEqual(expected.map((_, index) => index + 1));
    };

    beforeAll(async () => {
      holder = await startGateway({ WORKERS_ENABLED: 'false' });
    });

    afterAll(async () => {
      await holder?.close();
    });

    async function openInstance(): Promise<string> {
      const instanceId = await startInstance(heldKey);
      leftOpen.push(instanceId);
      return instanceId;
    }

    // The first attempt's lock ran out and the task went to a second; the first's outcome is then dropped. Its write
    // may land before the second's or, late, after it.
    it.each([
      ['after the second wrote', (first: string, second: string) => [first, second]],
      ['writing late after the second', (first: string, second: string) => [second, first]],
    ])('the first attempt, dropped %s, leaves the event to the second', async (_, writeOrder) => {
      const instanceId = await openInstance();
      const refresher = holder.app.get(InstanceRefresher);
      const [id, first, second] = [randomUUID(), randomUUID(), randomUUID()];
      for (const attempt of writeOrder(first, second)) await refresher.refreshInstance(instanceId, { domainEvents: [heldEvent(id, attempt)] });
      await refresher.discardHeldEvents(instanceId, [id], first);
      expect(await heldBy(id)).toEqual([second]);
      await holder.app.get(HeldEvents).release([id]);
      await publishedOnce(instanceId, [id]);
    });

    it('the first, dropped, deletes only the events nobody else holds, and the sequence closes around them', async () => {
      const instanceId = await openInstance();
      const refresher = holder.app.get(InstanceRefresher);
      const [onlyFirst, shared, onlySecond, first, second] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      await refresher.refreshInstance(instanceId, { domainEvents: [heldEvent(onlyFirst, first), heldEvent(shared, first)] });
      await refresher.refreshInstance(instanceId, { domainEvents: [heldEvent(onlySecond, second), heldEvent(shared, second)] });
      await refresher.discardHeldEvents(instanceId, [onlyFirst, shared], first);
      await holder.app.get(HeldEvents).release([onlySecond, shared]);
      await publishedOnce(instanceId, [shared, onlySecond]);
    });
  });

  it('an eventType that is no routing key is an incident at once, with the reason, and publishes nothing', async () => {
    const instanceId = await startInstance(badKey, { payload: { value: '{}', type: 'Json' } });
    leftOpen.push(instanceId);
    const incident = await openIncident(instanceId, 15_000);
    expect(incident.incidentMessage).toMatch(/eventType/);
    expect((await externalTaskLog(instanceId)).filter((entry) => entry.failureLog)).toHaveLength(1);
    expect(events.typesFor(instanceId).filter((type) => type.startsWith('model.'))).toEqual([]);
  });
});
