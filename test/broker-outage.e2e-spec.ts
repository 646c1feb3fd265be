import { connect, type ChannelModel } from 'amqplib';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { EventMessage } from '../src/events/event-types.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { testEnv } from './support/test-env.js';

/** Stops and starts the RabbitMQ application on the local node: the broker really goes away and comes back. */
function broker(command: 'stop_app' | 'start_app' | 'await_startup'): void {
  execFileSync('rabbitmqctl', [command], { stdio: 'ignore', timeout: 120_000 });
}

describe('RabbitMQ stopped mid-run and started again', () => {
  const queue = `gateway-outage-test-${randomUUID()}`;
  const received = new Map<string, EventMessage>();
  let gateway: RunningGateway;
  let stopped = false;

  /** A downstream consumer with a durable queue: what the broker had accepted survives its restart. */
  async function drain(): Promise<void> {
    const connection: ChannelModel = await connect(testEnv.rabbitmqUrl);
    try {
      const channel = await connection.createChannel();
      for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) {
        const body = JSON.parse(message.content.toString('utf8')) as EventMessage;
        received.set(body.id, body);
        arrival.push(body);
      }
    } finally {
      await connection.close();
    }
  }
  const arrival: EventMessage[] = [];

  async function start(): Promise<string> {
    return (
      await gateway.http
        .post('/process-instances')
        .send({ processDefinitionKey: 'ticket-approval', businessKey: `OUTAGE-${queue}` })
        .expect(201)
    ).body.id;
  }

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false', OUTBOX_RELAY_INTERVAL_MS: '100' });
    const connection = await connect(testEnv.rabbitmqUrl);
    const channel = await connection.createChannel();
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, testEnv.eventsExchange, '#');
    await connection.close();
  });

  afterAll(async () => {
    if (stopped) broker('start_app');
    await gateway?.close();
    const connection = await connect(testEnv.rabbitmqUrl);
    await (await connection.createChannel()).deleteQueue(queue);
    await connection.close();
  });

  it('keeps accepting writes, loses no event, and keeps each instance in order', async () => {
    const before = await start();
    await eventually(async () => {
      await drain();
      expect([...received.values()].some((event) => event.processInstanceId === before)).toBe(true);
    });

    broker('stop_app');
    stopped = true;
    const duringOutage = [await start(), await start()];
    const [task] = (await gateway.http.get('/tasks').query({ processInstanceId: before }).expect(200)).body.items;
    await gateway.http.post(`/tasks/${task.id}/claim`).send({ userId: 'demo' }).expect(200);
    await gateway.http
      .post(`/tasks/${task.id}/complete`)
      .send({ variables: { approved: false } })
      .expect(200);
    const health = await gateway.http.get('/health').expect(503);
    expect(health.body.error).toHaveProperty('rabbitmq');
    const status = await gateway.http.get('/sync/status').expect(200);
    expect(status.body.outbox.pending).toBeGreaterThanOrEqual(7);

    broker('start_app');
    broker('await_startup');
    stopped = false;

    const expected = new Map([
      [before, ['process.started', 'task.created', 'task.assigned', 'task.completed', 'process.completed']],
      ...duringOutage.map((id) => [id, ['process.started', 'task.created']] as [string, string[]]),
    ]);
    await eventually(
      async () => {
        await drain();
        for (const [id, types] of expected) {
          const ofInstance = [...received.values()].filter((event) => event.processInstanceId === id).sort((a, b) => a.sequence - b.sequence);
          expect(ofInstance.map((event) => event.type)).toEqual(types);
          expect(ofInstance.map((event) => event.sequence)).toEqual(types.map((_, index) => index + 1));
        }
      },
      90_000,
      500,
    );

    // Order on the wire: per instance, the first arrival of each event follows the sequence.
    for (const id of expected.keys()) {
      const firstArrivals = arrival
        .filter((event) => event.processInstanceId === id)
        .map((event) => event.sequence)
        .filter((sequence, index, all) => all.indexOf(sequence) === index);
      expect(firstArrivals).toEqual([...firstArrivals].sort((a, b) => a - b));
    }
    await eventually(async () => expect((await gateway.http.get('/sync/status').expect(200)).body.outbox.pending).toBe(0), 10_000);
    await gateway.http.get('/health').expect(200);
  });
});
