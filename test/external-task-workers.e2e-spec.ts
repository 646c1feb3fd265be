import { BasicAuthInterceptor, Client, type Task } from 'camunda-external-task-client-js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { BpmnError, type ExternalTaskJob } from '../src/workers/worker-api.js';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { deployExternalTaskModel, externalTaskLog, openIncident, startInstance } from './support/external-task-models.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { inParallel } from './support/in-parallel.js';
import { registeredWorkersModule, sleep, testWorkersModule, untilAborted } from './support/test-workers.js';
import { RecordingProxy } from './support/recording-proxy.js';
import { testEnv } from './support/test-env.js';

const run = randomUUID().slice(0, 8);
const GATEWAY_WORKER_ID = `camunda-gateway-${hostname()}-${process.pid}`;
const topic = (name: string) => `it-${name}-${run}`;
const key = (name: string) => `it${name}${run}`;

const LOCK_MS = 2_000;
const BOUND = 5;
const QUEUED = 200;

// Instances a test leaves with an incident, deleted at the end: the engine is shared with every later run.
const leftOpen: string[] = [];
const calls = new Map<string, number>();
const count = (job: ExternalTaskJob) => calls.set(job.id, (calls.get(job.id) ?? 0) + 1);
const flakyTries: number[] = [];
const concurrency = { now: 0, max: 0, handled: 0 };
const cancelled = { started: new Set<string>(), aborted: new Set<string>() };

const workers = testWorkersModule([
  {
    settings: { topic: topic('slow'), lockDurationMs: LOCK_MS },
    handle: async (job) => {
      count(job);
      await sleep(3 * LOCK_MS);
      return { variables: { slowDone: true } };
    },
  },
  {
    settings: { topic: topic('bound'), maxInFlight: BOUND, refreshMirror: false },
    handle: async () => {
      concurrency.now += 1;
      concurrency.max = Math.max(concurrency.max, concurrency.now);
      await sleep(20 + Math.random() * 30);
      concurrency.now -= 1;
      concurrency.handled += 1;
    },
  },
  {
    settings: { topic: topic('cancel'), lockDurationMs: LOCK_MS },
    handle: async (job) => {
      cancelled.started.add(job.processInstanceId);
      if (await untilAborted(job.signal, 30_000)) cancelled.aborted.add(job.processInstanceId);
      // Returned after the abort on purpose: the runtime must drop it.
      return { variables: { late: true }, events: [{ type: `model.cancel.${run}`, data: { late: true } }] };
    },
  },
]);
// Registered through ExternalTaskWorkersModule.register, not the decorator: their settings must reach the runtime too.
const registeredWorkers = registeredWorkersModule([
  {
    settings: { topic: topic('bpmn') },
    handle: async () => {
      throw new BpmnError('REJECTED', 'rejected by the handler', { rejectionReason: `reason-${run}` });
    },
  },
  {
    settings: { topic: topic('flaky'), retry: { attempts: 3, initialDelayMs: 1_000, factor: 2, jitter: 0 } },
    handle: async () => {
      flakyTries.push(Date.now());
      throw new Error(`boom ${run}`);
    },
  },
]);

async function outcomes(gateway: RunningGateway, topicName: string): Promise<Record<string, number>> {
  const text = (await gateway.http.get('/metrics').expect(200)).text;
  const found: Record<string, number> = {};
  for (const match of text.matchAll(/camunda_gateway_worker_task_outcomes_total\{topic="([^"]+)",outcome="([^"]+)"\} (\d+)/g)) {
    if (match[1] === topicName) found[match[2]] = Number(match[3]);
  }
  return found;
}

describe('external-task workers on the real engine', () => {
  let gateway: RunningGateway;
  let events: EventCollector;

  beforeAll(async () => {
    await Promise.all(
      [
        { key: key('slow'), topic: topic('slow') },
        { key: key('bpmn'), topic: topic('bpmn'), boundaryErrorCode: 'REJECTED' },
        { key: key('flaky'), topic: topic('flaky') },
        { key: key('bound'), topic: topic('bound') },
        { key: key('cancel'), topic: topic('cancel') },
      ].map(deployExternalTaskModel),
    );
    events = await EventCollector.bind();
    gateway = await startGateway({ WORKERS_ENABLED: 'true' }, undefined, [workers, registeredWorkers]);
  });

  afterAll(async () => {
    await gateway?.close();
    await events?.close();
    for (const instanceId of leftOpen) await engineRest('DELETE', `/process-instance/${instanceId}`).catch(() => undefined);
  });

  it('a handler that takes 3x its lock duration completes exactly once, and no other worker gets the task meanwhile', async () => {
    const instanceId = await startInstance(key('slow'));
    const rival = new Client({
      baseUrl: testEnv.camundaUrl,
      workerId: `rival-${run}`,
      autoPoll: false,
      interceptors: new BasicAuthInterceptor({ username: testEnv.camundaUser, password: testEnv.camundaPassword }),
    });
    const stolen: Task[] = [];
    // Counted so the rival provably asked the engine (a rival whose fetches fail would get nothing either).
    let rivalFetches = 0;
    rival.on('poll:success', () => (rivalFetches += 1));
    rival.subscribe(topic('slow'), { lockDuration: LOCK_MS }, async ({ task }) => void stolen.push(task));
    await eventually(() => expect(calls.size).toBeGreaterThan(0), 10_000, 50);
    rival.start();
    try {
      await eventually(
        async () => expect(await engineRest<{ state: string }>('GET', `/history/process-instance/${instanceId}`)).toMatchObject({ state: 'COMPLETED' }),
        20_000,
        200,
      );
    } finally {
      rival.stop();
    }
    const log = await externalTaskLog(instanceId);
    expect(log.filter((entry) => entry.successLog)).toHaveLength(1);
    expect(log.filter((entry) => entry.failureLog)).toHaveLength(0);
    expect(log.filter((entry) => entry.successLog).map((entry) => entry.workerId)).toEqual([GATEWAY_WORKER_ID]);
    expect([...calls.values()]).toEqual([1]);
    expect(rivalFetches).toBeGreaterThan(0);
    expect(stolen).toEqual([]);
    await expect(engineRest('GET', `/history/variable-instance?processInstanceId=${instanceId}&variableName=slowDone`)).resolves.toMatchObject([
      { value: true },
    ]);
  });

  it('a BpmnError reaches the boundary event, with the variables the handler gave', async () => {
    const instanceId = await startInstance(key('bpmn'));
    await eventually(async () => expect(await engineRest('GET', `/history/process-instance/${instanceId}`)).toMatchObject({ state: 'COMPLETED' }), 15_000, 200);
    const activities = await engineRest<{ activityId: string }[]>('GET', `/history/activity-instance?processInstanceId=${instanceId}`);
    expect(activities.map((activity) => activity.activityId)).toEqual(expect.arrayContaining(['rejected', 'endRejected']));
    expect(activities.map((activity) => activity.activityId)).not.toContain('end');
    await expect(engineRest('GET', `/history/variable-instance?processInstanceId=${instanceId}&variableName=rejectionReason`)).resolves.toMatchObject([
      { value: `reason-${run}` },
    ]);
    expect(await externalTaskLog(instanceId)).not.toContainEqual(expect.objectContaining({ failureLog: true }));
  });

  it('a retryable error follows the backoff schedule the engine records, then ends as an incident with the message', async () => {
    const instanceId = await startInstance(key('flaky'));
    leftOpen.push(instanceId);
    const incident = await openIncident(instanceId, 30_000);
    expect(incident.incidentMessage).toBe(`boom ${run}`);
    const failures = (await externalTaskLog(instanceId)).filter((entry) => entry.failureLog);
    // Each failure log holds the retries the task had when it failed; the engine's task ends with none left.
    expect(failures.map((entry) => entry.retries)).toEqual([null, 2, 1]);
    await expect(engineRest('GET', `/external-task?processInstanceId=${instanceId}`)).resolves.toMatchObject([{ retries: 0 }]);
    expect(failures.every((entry) => entry.errorMessage === `boom ${run}`)).toBe(true);
    expect(flakyTries).toHaveLength(3);
    const [firstWait, secondWait] = [flakyTries[1] - flakyTries[0], flakyTries[2] - flakyTries[1]];
    // 1 s, then 2 s, as the engine's retry timeouts; a fetch may come up to one long poll later.
    expect(firstWait).toBeGreaterThanOrEqual(950);
    expect(firstWait).toBeLessThan(1_000 + 3_000);
    expect(secondWait).toBeGreaterThanOrEqual(1_950);
    expect(secondWait).toBeLessThan(2_000 + 3_000);
  });

  it(`with ${QUEUED} tasks queued and a bound of ${BOUND}, never more than ${BOUND} handlers run at once`, async () => {
    await inParallel(QUEUED, 10, () => startInstance(key('bound')));
    await eventually(() => expect(concurrency.handled).toBe(QUEUED), 60_000, 200);
    await eventually(async () => expect(await engineRest('GET', `/external-task/count?topicName=${topic('bound')}`)).toEqual({ count: 0 }), 10_000, 200);
    expect(concurrency.max).toBeLessThanOrEqual(BOUND);
    expect(concurrency.max).toBeGreaterThan(1);
  }, 120_000);

  it('an instance cancelled while its handler runs: the outcome is dropped, no incident, no event for it', async () => {
    const instanceId = await startInstance(key('cancel'));
    await eventually(() => expect(cancelled.started.has(instanceId)).toBe(true), 10_000, 50);
    await eventually(async () => expect(events.typesFor(instanceId)).toContain('process.started'), 10_000, 100);
    await engineRest('DELETE', `/process-instance/${instanceId}`);
    await eventually(() => expect(cancelled.aborted.has(instanceId)).toBe(true), LOCK_MS * 2, 50);
    await eventually(async () => expect(events.typesFor(instanceId)).toContain('process.terminated'), 10_000, 100);
    await eventually(async () => expect((await outcomes(gateway, topic('cancel'))).dropped).toBe(1), 5_000, 100);
    // The relay publishes in order: anything the dropped outcome had written would have come before the end.
    expect(events.typesFor(instanceId).filter((type) => type.startsWith('model.'))).toEqual([]);
    await expect(engineRest('GET', `/history/incident?processInstanceId=${instanceId}`)).resolves.toEqual([]);
    expect(await externalTaskLog(instanceId)).not.toContainEqual(expect.objectContaining({ failureLog: true }));
  });

  it('reports per-topic fetching in /health and outcomes in /metrics', async () => {
    const health = await gateway.http.get('/health').expect(200);
    expect(health.body.details.workers.topics).toEqual(expect.arrayContaining([expect.objectContaining({ topic: topic('bound'), fetching: true })]));
    expect(await outcomes(gateway, topic('bound'))).toMatchObject({ completed: QUEUED });
    expect(await outcomes(gateway, topic('flaky'))).toMatchObject({ failed: 2, incident: 1 });
    expect(await outcomes(gateway, topic('bpmn'))).toMatchObject({ bpmn_error: 1 });
    const text = (await gateway.http.get('/metrics').expect(200)).text;
    expect(text).toMatch(new RegExp(`camunda_gateway_worker_lock_extensions_total\\{topic="${topic('slow')}"\\} [1-9]`));
  });
});

describe("an instance cancelled between the writing of a handler's events and its completion", () => {
  const windowTopic = topic('window');
  const windowKey = key('window');
  const proxy = new RecordingProxy(new URL(testEnv.camundaUrl));
  let gateway: RunningGateway;
  let events: EventCollector;
  let cancelled: string | null = null;

  beforeAll(async () => {
    await deployExternalTaskModel({ key: windowKey, topic: windowTopic });
    await proxy.start();
    events = await EventCollector.bind();
    const windowWorkers = testWorkersModule([
      { settings: { topic: windowTopic }, handle: async (job) => ({ events: [{ type: `model.window.r${run}`, data: { instance: job.processInstanceId } }] }) },
    ]);
    gateway = await startGateway({ WORKERS_ENABLED: 'true', CAMUNDA_URL: proxy.url }, undefined, [windowWorkers]);
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy.stop();
    await events?.close();
  });

  it('publishes nothing for the dropped outcome: the held event is discarded, no incident', async () => {
    // The events are written (held) by the time the completion goes out; it reaches an engine that no longer has the instance.
    proxy.beforeForward = async (request) => {
      const completion = /^\/external-task\/([^/]+)\/complete$/.exec(request.path);
      if (request.method !== 'POST' || !completion || cancelled !== null) return;
      const task = await engineRest<{ topicName: string; processInstanceId: string }>('GET', `/external-task/${completion[1]}`);
      if (task.topicName !== windowTopic) return;
      cancelled = task.processInstanceId;
      await engineRest('DELETE', `/process-instance/${task.processInstanceId}`);
    };
    const instanceId = await startInstance(windowKey);
    await eventually(async () => expect(events.typesFor(instanceId)).toContain('process.terminated'), 20_000, 100);
    await eventually(async () => expect((await outcomes(gateway, windowTopic)).dropped).toBe(1), 5_000, 100);
    expect(cancelled).toBe(instanceId);
    // Later events of an instance wait behind a held one: the end arrived, so the held event was settled before it.
    expect(events.typesFor(instanceId)).toEqual(['process.started', 'process.terminated']);
    // The discarded event's number was given back: consumers see no gap that would read as a missing event.
    expect(events.forInstance(instanceId).map((event) => event.body.sequence)).toEqual([1, 2]);
    await expect(engineRest('GET', `/history/incident?processInstanceId=${instanceId}`)).resolves.toEqual([]);
  });
});
