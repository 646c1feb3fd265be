import { connect } from 'amqplib';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { engineRest } from '../test/support/engine-rest.js';
import { testEnv } from '../test/support/test-env.js';
import { GatewayConfig } from '../src/config/gateway-config.js';
import { runBarePublishWorker } from './bare-publish.js';
import { runBareWorker, type WorkerBounds, type WorkerRun } from './bare-worker.js';
import { EventConsumer } from './event-consumer.js';
import { settleMirror, withMirroringGateway } from './gateway-boot.js';
import { runGatewayWorker } from './gateway-worker.js';
import { round, timed } from './measure.js';
import { PUBLISH_TOPIC, runGatewayPublish, runRawPublish } from './publish-bench.js';
import { analyzeEngineDatabase } from './engine-statistics.js';
import { deployModels, externalTaskModel, startInstances } from './worker-models.js';
import {
  attempt,
  medianRatioCell,
  type Outcome,
  publishDetail,
  rateCell,
  ratioCell,
  ratiosFromFirstTask,
  readingNotes,
  roundsCell,
  workerDetail,
} from './worker-report.js';

// Issue 10's benchmarks: external tasks per second through the gateway's worker runtime and through its
// gateway.publish topic, each against the bare library measured in the same run. BENCH_TASKS=200 is a smoke run.
const DEFAULT_TASKS = 2_000;
const TASKS = Number(process.env.BENCH_TASKS ?? DEFAULT_TASKS);
const RESULTS = process.env.BENCH_RESULTS ?? 'bench/results-workers.md';
// The same bounds on both sides: fetch size, work in flight, the pause after each fetch (the gateway's default),
// long poll. A side that completes nothing for stallMs has stopped working and fails the run instead of hanging it.
const BOUNDS: WorkerBounds = {
  maxTasks: 10,
  maxParallelExecutions: 10,
  pollIntervalMs: new GatewayConfig().WORKER_POLL_INTERVAL_MS,
  longPollMs: 2_000,
  stallMs: 15_000,
};
// With 10 per fetch the pause after each fetch weighs on both sides alike; with 100 per fetch the handling
// weighs more, so the runtime's own cost per task shows better.
const WIDE_BOUNDS: WorkerBounds = { ...BOUNDS, maxTasks: 100, maxParallelExecutions: 100 };
// The issue's no-op pair runs this many times, the side that goes first alternating: one pair alone moved between
// 0.79× and 0.92× from run to run, as the engine warmed up or the machine got busier under one side only.
const NO_OP_ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const runId = Date.now();
const processKey = `benchworker${runId}`;
const sides = ['bare', 'gateway', 'bareAlone', 'gatewayIdleSync', 'bareWide', 'gatewayWide', 'barePublish'] as const;
const models = {
  ...Object.fromEntries(sides.map((side) => [side, `${processKey}${side}`])),
  publish: `${processKey}publish`,
  publishNoRefresh: `${processKey}publishNoRefresh`,
} as Record<(typeof sides)[number] | 'publish' | 'publishNoRefresh', string>;
// A topic per side, so no side can take another's tasks; gateway.publish is the gateway's own topic.
const topics = Object.fromEntries(sides.map((side) => [side, `bench-worker-${side}-${runId}`])) as Record<(typeof sides)[number], string>;
// The run's own exchange: no other gateway on this broker publishes into it, and it is deleted afterwards.
const exchange = `bench.workers.${runId}`;
const eventType = `bench.ping.${runId}`;
const gatewayEnv = { EVENTS_EXCHANGE: exchange };
const WORKER_SIDES = sides.filter((side) => side !== 'barePublish');
// The no-op pair's instances are started round by round.
const ONE_RUN_SIDES = WORKER_SIDES.filter((side) => side !== 'bare' && side !== 'gateway');
const publishVariables = { eventType: { value: eventType, type: 'String' }, payload: { value: JSON.stringify({ n: 1 }), type: 'Json' } };

const rows: string[] = [];
const report = (line: string) => {
  rows.push(line);
  console.log(line);
};
const settle = () => settleMirror(gatewayEnv, Object.values(models));

/** The same shape as a gateway event, for the baseline when the gateway side produced no messages to copy. */
function envelopeLikeBody(index: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: crypto.randomUUID(),
      type: `model.${eventType}`,
      time: new Date().toISOString(),
      sequence: index,
      processInstanceId: crypto.randomUUID(),
      businessKey: null,
      processDefinitionKey: models.publish,
      tenantId: null,
      actor: null,
      data: { n: 1 },
    }),
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

type NoOpRound = { bare: Outcome<WorkerRun>; gateway: Outcome<WorkerRun & { initMs: number }> };

async function noOpRounds(): Promise<NoOpRound[]> {
  const rounds: NoOpRound[] = [];
  for (let index = 0; index < NO_OP_ROUNDS; index += 1) {
    await Promise.all([startInstances(models.bare, TASKS), startInstances(models.gateway, TASKS)]);
    const runBare = async () => {
      await settle();
      return attempt(`bare client, round ${index}`, () => withMirroringGateway(gatewayEnv, () => runBareWorker(topics.bare, TASKS, BOUNDS)));
    };
    const runGateway = async () => {
      await settle();
      return attempt(`gateway worker, round ${index}`, () => runGatewayWorker(topics.gateway, TASKS, BOUNDS, gatewayEnv, [models.gateway]));
    };
    if (index % 2 === 0) {
      const bare = await runBare();
      rounds.push({ bare, gateway: await runGateway() });
    } else {
      const gateway = await runGateway();
      rounds.push({ gateway, bare: await runBare() });
    }
    console.log(`no-op round ${index}: ${medianRatioCell(TASKS, rounds.slice(-1))}`);
  }
  return rounds;
}

async function main(): Promise<void> {
  const deploymentId = await deployModels(processKey, {
    ...Object.fromEntries(sides.map((side) => [models[side], externalTaskModel(models[side], topics[side])])),
    [models.publish]: externalTaskModel(models.publish, PUBLISH_TOPIC),
    [models.publishNoRefresh]: externalTaskModel(models.publishNoRefresh, PUBLISH_TOPIC),
  });
  let consumer: EventConsumer | undefined;
  try {
    const smoke =
      TASKS < DEFAULT_TASKS
        ? ` **Smoke run** (BENCH_TASKS=${TASKS}; the issue's size is ${DEFAULT_TASKS}): it proves the bench works, its numbers are noisy.`
        : '';
    report(
      `# camunda-gateway worker benchmarks\n\n${new Date().toISOString()}, ${TASKS} tasks per side, one shared machine (2 cores, other work running beside it; load average ${loadavg()
        .map((load) => round(load, 2))
        .join(' ')} at the start), real engine, PostgreSQL and RabbitMQ.${smoke}\n`,
    );
    const started = await timed(() => Promise.all(ONE_RUN_SIDES.map((side) => startInstances(models[side], TASKS))));
    console.log(`started ${ONE_RUN_SIDES.length * TASKS} instances in ${round(started.ms / 1000)} s`);
    report(
      `The engine's database was analyzed after the instances were started (ANALYZE, ${await analyzeEngineDatabase()} s): autovacuum is off on this machine.\n`,
    );
    await settle();

    // 1. No-op handler: the library and the gateway's runtime, each on a current mirror that a gateway's sync keeps
    // current while it runs (the library's completions need mirroring as much as the runtime's).
    const noOp = await noOpRounds();
    // The same with the sync beside it idle (no mirror poll within the run): how much of the gap is the runtime's own.
    await settle();
    const idleSync = { ...gatewayEnv, SYNC_INTERVAL_MS: '3600000' };
    const gatewayIdleSync = await attempt('gateway worker, idle sync', () =>
      runGatewayWorker(topics.gatewayIdleSync, TASKS, BOUNDS, idleSync, [models.gatewayIdleSync]),
    );
    const bareAlone = await attempt('bare client alone', () => runBareWorker(topics.bareAlone, TASKS, BOUNDS));
    await settle();
    const bareWide = await attempt('bare client, wide bounds', () =>
      withMirroringGateway(gatewayEnv, () => runBareWorker(topics.bareWide, TASKS, WIDE_BOUNDS)),
    );
    await settle();
    const gatewayWide = await attempt('gateway worker, wide bounds', () =>
      runGatewayWorker(topics.gatewayWide, TASKS, WIDE_BOUNDS, gatewayEnv, [models.gatewayWide]),
    );

    // 2. gateway.publish against a hand-written worker that confirm-publishes, and against amqplib alone; one consumer.
    // Started only now: every gateway with workers takes gateway.publish tasks, the no-op runs' included.
    await Promise.all([models.barePublish, models.publish, models.publishNoRefresh].map((model) => startInstances(model, TASKS, publishVariables)));
    consumer = await EventConsumer.bind(exchange, `model.${eventType}`);
    const barePublish = await attempt('bare client + amqplib', () =>
      runBarePublishWorker({ topic: topics.barePublish, tasks: TASKS, bounds: BOUNDS, exchange, consumer: consumer! }),
    );
    await settle();
    const published = await attempt('gateway.publish', () =>
      runGatewayPublish({ processKey: models.publish, tasks: TASKS, exchange, consumer: consumer!, stallMs: BOUNDS.stallMs }),
    );
    const gatewayMessages = consumer.received;
    // gateway.publish without its refresh of the instance after each completion: what that refresh costs.
    await settle();
    const publishedNoRefresh = await attempt('gateway.publish, refreshMirror false', () =>
      runGatewayPublish({
        processKey: models.publishNoRefresh,
        tasks: TASKS,
        exchange,
        consumer: consumer!,
        stallMs: BOUNDS.stallMs,
        builtInSettings: { refreshMirror: false },
      }),
    );
    const raw = await attempt('raw amqplib', () =>
      runRawPublish({
        routingKey: `model.${eventType}`,
        tasks: TASKS,
        exchange,
        consumer: consumer!,
        gatewayMessages,
        fallbackBody: envelopeLikeBody,
        stallMs: BOUNDS.stallMs,
      }),
    );

    const bounds = (of: WorkerBounds) =>
      `maxTasks ${of.maxTasks}, ${of.maxParallelExecutions} in flight, ${of.pollIntervalMs} ms pause after a fetch, long poll ${of.longPollMs} ms`;
    const worker = workerDetail(TASKS);
    report('| benchmark | gateway | baseline (same run) | ratio | target |\n|---|---|---|---|---|');
    report(
      `| 1. no-op handler, ${bounds(BOUNDS)}; median of ${noOp.length} rounds | ${roundsCell(
        TASKS,
        noOp.map((pair) => pair.gateway),
        worker,
      )} | camunda-external-task-client-js, a gateway without workers beside it mirroring every completion: ${roundsCell(
        TASKS,
        noOp.map((pair) => pair.bare),
        worker,
      )} | ${medianRatioCell(TASKS, noOp)} | ≥ 0.9× |`,
    );
    report(
      `| 2. gateway.publish to RabbitMQ, until a consumer has all ${TASKS} | ${rateCell(TASKS, published, publishDetail)} | raw amqplib confirm channel, the same messages: ${rateCell(TASKS, raw, publishDetail)} | ${ratioCell(TASKS, published, raw)} | ≥ 0.8× |`,
    );
    report(
      `| 1b. as 1, neither side mirrored: the gateway's sync idle (SYNC_INTERVAL_MS 1 h, no poll during the run), the library with no gateway beside it | ${rateCell(TASKS, gatewayIdleSync, worker)} | library alone: ${rateCell(TASKS, bareAlone, worker)} | ${ratioCell(TASKS, gatewayIdleSync, bareAlone)} | — |`,
    );
    report(
      `| 1c. no-op handler, ${bounds(WIDE_BOUNDS)} (beside the issue's), mirrored as in 1 | ${rateCell(TASKS, gatewayWide, worker)} | library with a mirroring gateway beside it: ${rateCell(TASKS, bareWide, worker)} | ${ratioCell(TASKS, gatewayWide, bareWide)} | — |`,
    );
    report(
      `| 2b. gateway.publish (as in 2) against a hand-written worker (beside the issue's) | as in 2 | library fetching eventType and payload, amqplib confirm-publish of the same envelope, then complete: ${rateCell(TASKS, barePublish, publishDetail)} | ${ratioCell(TASKS, published, barePublish)} | — |`,
    );
    report(
      `| 2c. as 2, gateway.publish with refreshMirror false (no instance refresh after the completion; diagnosis only) | ${rateCell(TASKS, publishedNoRefresh, publishDetail)} | the hand-written worker of 2b | ${ratioCell(TASKS, publishedNoRefresh, barePublish)} | — |`,
    );
    const fromFirstTask = ratiosFromFirstTask(noOp);
    if (fromFirstTask.length > 0) {
      report(`\nNo-op from the first task on (start-up left out), per round: ${fromFirstTask.map((ratio) => `${ratio.toPrecision(3)}×`).join(', ')}.`);
    }
    report(
      `\nHow it was measured: the gateway's clock starts when app.init() begins (its workers start at bootstrap), the library's at client.start(); a worker run ends when the engine holds none of the topic's tasks (GET /external-task/count), a publish run when the consumer has every message (and, for the workers, the engine has ended every instance). Each side has its own topic and process key and runs alone: in row 1 the pair runs ${NO_OP_ROUNDS} times on fresh instances, the library first in even rounds and the gateway first in odd ones, and the ratio is the median of the rounds' ratios; elsewhere the library's side runs first; the gateway's built-in workers (gateway.publish, ticket-processing) run with their handlers unchanged but fetch only the bench's process keys (processDefinitionKeyIn), since other work on this engine uses those topics too (other gateways there fetch gateway.publish unfiltered and may still take some of the bench's tasks: a row says so when it happened and counts this gateway's share); before each side an unmeasured gateway without workers brings the mirror up to date, so a measured gateway does a restart's work. A measured gateway's sync mirrors (and publishes) the instances it completes as it runs; in rows 1 and 1c a gateway without workers runs beside the library and does the same for the library's completions, since a deployment mirrors every instance that ends whoever completed its task (row 1b leaves the mirroring out on both sides). The raw baseline publishes ${gatewayMessages.length > 0 ? "the gateway's own messages again (body and properties)" : 'envelope-shaped bodies with the fields of a gateway event (the gateway side produced none to copy)'} and counts them on the same queue.`,
    );
    report(`\n${readingNotes(BOUNDS.pollIntervalMs)}`);
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
