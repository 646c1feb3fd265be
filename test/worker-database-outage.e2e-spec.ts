import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { deployExternalTaskModel, externalTaskLog, startInstance } from './support/external-task-models.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { TcpProxy, throughLocalPort } from './support/tcp-proxy.js';
import { sleep, testWorkersModule } from './support/test-workers.js';
import { testEnv } from './support/test-env.js';

const run = randomUUID().slice(0, 8);
const topic = `it-dbcut-${run}`;
const key = `itdbcut${run}`;
const INSTANCES = 3;
const LOCK_MS = 2_000;

describe('external-task workers while the gateway database is cut', () => {
  const database = new URL(testEnv.databaseUrl);
  const proxy = new TcpProxy(database.hostname, Number(database.port || 5432));
  const started = new Set<string>();
  let handled = 0;
  let gateway: RunningGateway;
  let events: EventCollector;

  const workers = testWorkersModule([
    {
      settings: { topic, lockDurationMs: LOCK_MS },
      handle: async (job) => {
        started.add(job.processInstanceId);
        await sleep(1_500);
        handled += 1;
        return { variables: { handled: true }, events: [{ type: `model.dbcut.r${run}`, data: { instance: job.processInstanceId } }] };
      },
    },
  ]);

  beforeAll(async () => {
    await proxy.open();
    await deployExternalTaskModel({ key, topic });
    events = await EventCollector.bind();
    gateway = await startGateway({ DATABASE_URL: throughLocalPort(database, proxy.listeningPort), WORKERS_ENABLED: 'true' }, undefined, [workers]);
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy.cut();
    await events?.close();
  });

  it('keeps the engine retries untouched and the locks held, and finishes every task once the database is back', async () => {
    const instanceIds = await Promise.all(Array.from({ length: INSTANCES }, () => startInstance(key)));
    await eventually(() => expect(started.size).toBe(INSTANCES), 15_000, 50);
    await proxy.cut();

    // The handlers finish; writing their events fails; the tasks wait, longer than a lock lasts.
    await eventually(() => expect(handled).toBe(INSTANCES), 10_000, 50);
    await sleep(3 * LOCK_MS);
    const waiting = await engineRest<{ retries: number | null; lockExpirationTime: string | null; workerId: string | null }[]>(
      'GET',
      `/external-task?topicName=${topic}`,
    );
    expect(waiting).toHaveLength(INSTANCES);
    for (const task of waiting) {
      expect(task.retries).toBeNull();
      expect(new Date(task.lockExpirationTime!).getTime()).toBeGreaterThan(Date.now());
    }
    for (const instanceId of instanceIds) await expect(engineRest('GET', `/incident?processInstanceId=${instanceId}`)).resolves.toEqual([]);

    await proxy.open();

    await eventually(async () => expect(await engineRest('GET', `/external-task/count?topicName=${topic}`)).toEqual({ count: 0 }), 30_000, 200);
    for (const instanceId of instanceIds) {
      const log = await externalTaskLog(instanceId);
      expect(log.filter((entry) => entry.failureLog)).toHaveLength(0);
      expect(log.filter((entry) => entry.successLog)).toHaveLength(1);
    }
    expect(handled).toBe(INSTANCES);
    await eventually(
      () => {
        for (const instanceId of instanceIds) expect(events.typesFor(instanceId).filter((type) => type === `model.dbcut.r${run}`)).toHaveLength(1);
      },
      15_000,
      100,
    );
  });
});
