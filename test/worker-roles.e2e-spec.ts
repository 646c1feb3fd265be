import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { PUBLISH_TOPIC } from '../src/workers/publish-event.worker.js';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { deployExternalTaskModel, externalTaskLog, startInstance } from './support/external-task-models.js';
import { startGateway } from './support/gateway-app.js';
import { GatewayProcess } from './support/gateway-process.js';
import { sleep, testWorkersModule, untilAborted } from './support/test-workers.js';

const run = randomUUID().slice(0, 8);

interface EngineExternalTask {
  id: string;
  workerId: string | null;
  lockExpirationTime: string | null;
  retries: number | null;
}

describe('worker roles and draining shutdown', () => {
  let events: EventCollector;

  beforeAll(async () => {
    events = await EventCollector.bind();
  });

  afterAll(async () => {
    await events?.close();
  });

  it('GATEWAY_ROLE=worker runs the workers without the process API; GATEWAY_ROLE=api runs no worker', async () => {
    const key = `itrole${run}`;
    await deployExternalTaskModel({ key, topic: PUBLISH_TOPIC, inputs: { eventType: `role.r${run}`, payload: '${rolePayload}' } });
    const api = await startGateway({ GATEWAY_ROLE: 'api', WORKERS_ENABLED: 'true' });
    const worker = await GatewayProcess.start({ GATEWAY_ROLE: 'worker', WORKERS_ENABLED: 'true', WORKER_LONG_POLL_MS: '2000' });
    try {
      expect((await api.http.get('/health').expect(200)).body.details.workers.topics).toEqual([]);
      await api.http.get('/process-definitions').expect(200);

      expect((await worker.get('/process-definitions')).status).toBe(404);
      const health = await worker.get<{ details: { workers: { topics: { topic: string; fetching: boolean }[] } } }>('/health');
      expect(health.status).toBe(200);
      expect(health.body.details.workers.topics).toEqual(expect.arrayContaining([expect.objectContaining({ topic: PUBLISH_TOPIC })]));

      const instanceId = await startInstance(key, { rolePayload: { value: '{"role":"worker"}', type: 'Json' } });
      await eventually(() => expect(events.typesFor(instanceId)).toContain(`model.role.r${run}`), 20_000, 100);
      const successes = (await externalTaskLog(instanceId)).filter((entry) => entry.successLog);
      expect(successes.map((entry) => entry.workerId)).toEqual([`camunda-gateway-${hostname()}-${worker.pid}`]);
    } finally {
      await worker.stop();
      await api.close();
    }
  });

  it('on shutdown, a task that finishes within WORKER_DRAIN_TIMEOUT_MS completes; one that does not is unlocked at the deadline', async () => {
    const quick = `it-drain-quick-${run}`;
    const stuck = `it-drain-stuck-${run}`;
    await deployExternalTaskModel({ key: `itdrainquick${run}`, topic: quick });
    await deployExternalTaskModel({ key: `itdrainstuck${run}`, topic: stuck });
    const begun = new Set<string>();
    const workers = testWorkersModule([
      {
        settings: { topic: quick, lockDurationMs: 60_000 },
        handle: async (job) => {
          begun.add(job.topic);
          await sleep(1_000);
        },
      },
      {
        settings: { topic: stuck, lockDurationMs: 60_000 },
        handle: async (job) => {
          begun.add(job.topic);
          await untilAborted(job.signal, 120_000);
        },
      },
    ]);
    const gateway = await startGateway({ WORKERS_ENABLED: 'true', WORKER_DRAIN_TIMEOUT_MS: '2000' }, undefined, [workers]);
    const quickInstance = await startInstance(`itdrainquick${run}`);
    const stuckInstance = await startInstance(`itdrainstuck${run}`);
    await eventually(() => expect(begun).toEqual(new Set([quick, stuck])), 15_000, 50);

    const closing = Date.now();
    await gateway.close();
    const closedInMs = Date.now() - closing;

    expect(closedInMs).toBeGreaterThanOrEqual(2_000);
    // Fetches are ended at once; the unlock of the stuck task is a single request.
    expect(closedInMs).toBeLessThan(2_000 + 4_000);
    expect((await externalTaskLog(quickInstance)).filter((entry) => entry.successLog)).toHaveLength(1);
    // Unlocked: fetchable again at once by another worker, not after the 60 s lock, and with its retries untouched.
    const [left] = await engineRest<EngineExternalTask[]>('GET', `/external-task?processInstanceId=${stuckInstance}`);
    expect(left).toMatchObject({ workerId: null, lockExpirationTime: null, retries: null });
    await engineRest('DELETE', `/process-instance/${stuckInstance}`);
  });
});
