import { connect } from 'amqplib';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { engineRest } from '../test/support/engine-rest.js';
import { testEnv } from '../test/support/test-env.js';
import { runBareWorker, type WorkerBounds, type WorkerRun } from './bare-worker.js';
import { EventConsumer } from './event-consumer.js';
import { importMirror } from './gateway-boot.js';
import { runGatewayWorker } from './gateway-worker.js';
import { round, timed } from './measure.js';
import { PUBLISH_TOPIC, runGatewayPublish, runRawPublish, type PublishRun } from './publish-bench.js';
import { deployModels, externalTaskModel, startInstances } from './worker-models.js';

// Issue 10's benchmarks: external tasks per second through the gateway's worker runtime and through its
// gateway.publish topic, each against the bare library measured in the same run. BENCH_TASKS=200 is a smoke run.
const DEFAULT_TASKS = 2_000;
const TASKS = Number(process.env.BENCH_TASKS ?? DEFAULT_TASKS);
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results-workers.md';
// The same bounds on both sides: fetch size, work in flight, long poll. A side that completes nothing for
// stallMs has stopped working and fails the run instead of hanging it.
const BOUNDS: WorkerBounds = { maxTasks: 10, maxParallelExecutions: 10, longPollMs: 2_000, stallMs: 30_000 };

const runId = Date.now();
const processKey = `benchworker${runId}`;
const models = { bare: `${processKey}bare`, gateway: `${processKey}gateway`, publish: `${processKey}publish` };
// A topic per side, so neither can take the other's tasks; gateway.publish is the gateway's own topic.
const topics = { bare: `bench-worker-bare-${runId}`, gateway: `bench-worker-gateway-${runId}` };
// The run's own exchange: no other gateway on this broker publishes into it, and it is deleted afterwards.
const exchange = `bench.workers.${runId}`;
const eventType = `bench.ping.${runId}`;
const gatewayEnv = { EVENTS_EXCHANGE: exchange };

const rows: string[] = [];
const report = (line: string) => {
  rows.push(line);
  console.log(line);
};
const perSecond = (count: number, ms: number) => (count * 1000) / ms;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };
async function attempt<T>(what: string, run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    console.error(`${what} failed: ${(error as Error).message}`);
    return { ok: false, error: (error as Error).message };
  }
}

function rateCell<T extends { ms: number }>(outcome: Outcome<T>, detail: (value: T) => string): string {
  if (!outcome.ok) return `not measured: ${outcome.error}`;
  return `${round(perSecond(TASKS, outcome.value.ms))} tasks/s (${TASKS} in ${round(outcome.value.ms)} ms; ${detail(outcome.value)})`;
}

function ratioCell(gateway: Outcome<{ ms: number }>, baseline: Outcome<{ ms: number }>): string {
  return gateway.ok && baseline.ok ? `${round(baseline.value.ms / gateway.value.ms, 2)}×` : '—';
}

/** The same shape as a gateway event, for the baseline when the gateway side produced no messages to copy. */
function envelopeLikeBody(index: number): Buffer {
  return Buffer.from(
    JSON.stringify({ id: crypto.randomUUID(), type: `model.${eventType}`, time: new Date().toISOString(), sequence: index, processInstanceId: crypto.randomUUID(), businessKey: null, processDefinitionKey: models.publish, tenantId: null, actor: null, data: { n: 1 } }),
  );
}

async function deleteBrokerObjects(): Promise<void> {
  const connection = await connect(testEnv.rabbitmqUrl);
  const channel = await connection.createChannel();
  await channel.deleteExchange(exchange);
  await channel.deleteExchange(`${exchange}.unrouted`);
  await channel.deleteQueue(`${exchange}.unrouted`);
  await connection.close();
}

async function main(): Promise<void> {
  const deploymentId = await deployModels(processKey, {
    [models.bare]: externalTaskModel(models.bare, topics.bare),
    [models.gateway]: externalTaskModel(models.gateway, topics.gateway),
    [models.publish]: externalTaskModel(models.publish, PUBLISH_TOPIC),
  });
  let consumer: EventConsumer | undefined;
  try {
    const smoke = TASKS < DEFAULT_TASKS ? ` **Smoke run** (BENCH_TASKS=${TASKS}; the issue's size is ${DEFAULT_TASKS}): it proves the bench works, its numbers are noisy.` : '';
    report(
      `# camunda-gateway worker benchmarks\n\n${new Date().toISOString()}, ${TASKS} tasks per side, one shared machine (2 cores, other work running beside it; load average ${loadavg().map((load) => round(load, 2)).join(' ')} at the start), real engine, PostgreSQL and RabbitMQ.${smoke}\n`,
    );
    const started = await timed(async () => {
      await startInstances(models.bare, TASKS);
      await startInstances(models.gateway, TASKS);
    });
    console.log(`started ${2 * TASKS} instances in ${round(started.ms / 1000)} s`);
    await importMirror(gatewayEnv);

    // 1. No-op handler: the library alone, then the gateway's runtime, one after the other on a quiet engine.
    const bare = await attempt('bare client', () => runBareWorker(topics.bare, TASKS, BOUNDS));
    const gateway = await attempt('gateway worker', () => runGatewayWorker(topics.gateway, TASKS, BOUNDS, gatewayEnv));

    // 2. gateway.publish against raw confirm-publishing of the same messages, counted by one consumer.
    consumer = await EventConsumer.bind(exchange, `model.${eventType}`);
    const published = await attempt('gateway.publish', () => runGatewayPublish({ processKey: models.publish, eventType, tasks: TASKS, exchange, consumer: consumer!, stallMs: BOUNDS.stallMs }));
    const gatewayMessages = consumer.received;
    const raw = await attempt('raw amqplib', () => runRawPublish({ routingKey: `model.${eventType}`, tasks: TASKS, exchange, consumer: consumer!, gatewayMessages, fallbackBody: envelopeLikeBody, stallMs: BOUNDS.stallMs }));

    const bounds = `maxTasks ${BOUNDS.maxTasks}, ${BOUNDS.maxParallelExecutions} in flight, long poll ${BOUNDS.longPollMs} ms`;
    const workerDetail = (run: WorkerRun & { initMs?: number }) =>
      `first task after ${round(run.firstTaskMs)} ms${run.initMs === undefined ? '' : ` (init() took ${round(run.initMs)} ms)`}, then ${round(perSecond(TASKS, run.fromFirstTaskMs))} tasks/s`;
    const publishDetail = (run: PublishRun & { initMs?: number; confirmedMs?: number }) =>
      `${round(run.bodyBytes)}-byte bodies${run.initMs === undefined ? '' : `, init() took ${round(run.initMs)} ms`}${run.confirmedMs === undefined ? '' : `, all confirmed after ${round(run.confirmedMs)} ms`}`;
    report('| benchmark | gateway | baseline (same run) | ratio | target |\n|---|---|---|---|---|');
    report(`| no-op handler, ${bounds} | ${rateCell(gateway, workerDetail)} | camunda-external-task-client-js alone: ${rateCell(bare, workerDetail)} | ${ratioCell(gateway, bare)} | ≥ 0.9× |`);
    report(`| gateway.publish to RabbitMQ (until a consumer has all ${TASKS}) | ${rateCell(published, publishDetail)} | raw amqplib confirm channel, the same messages: ${rateCell(raw, publishDetail)} | ${ratioCell(published, raw)} | ≥ 0.8× |`);
    if (bare.ok && gateway.ok) {
      report(`\nFrom the first task on (start-up left out): gateway ${round(perSecond(TASKS, gateway.value.fromFirstTaskMs))} tasks/s, library ${round(perSecond(TASKS, bare.value.fromFirstTaskMs))} tasks/s, ratio ${round(bare.value.fromFirstTaskMs / gateway.value.fromFirstTaskMs, 2)}×.`);
    }
    report(
      `\nHow it was measured: the gateway's clock starts when app.init() begins (its workers start at bootstrap), the library's at client.start(); a worker run ends when the engine holds none of the topic's tasks (GET /external-task/count), the publish runs when the consumer has every message. Each side has its own topic and process key; the gateway side boots on a mirror already imported by an unmeasured gateway, so it does a restart's work, and its sync mirrors the instances it completes as it runs. The raw baseline publishes ${gatewayMessages.length >= TASKS ? "the gateway's own messages again (body and properties)" : 'envelope-shaped bodies with the fields of a gateway event (the gateway side produced none to copy)'} and counts them on the same queue.`,
    );
    writeFileSync(RESULTS, `${rows.join('\n')}\n`);
    console.log(`written to ${RESULTS}`);
  } finally {
    await consumer?.close();
    console.log('cleaning up: deleting the bench deployment with its instances, and the run exchange');
    await engineRest('DELETE', `/deployment/${deploymentId}?cascade=true`);
    await deleteBrokerObjects();
  }
}

await main();
