import { connect } from 'amqplib';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { engineRest } from '../test/support/engine-rest.js';
import { eventually } from '../test/support/eventually.js';
import { GatewayProcess } from '../test/support/gateway-process.js';
import { RecordingProxy } from '../test/support/recording-proxy.js';
import { testEnv } from '../test/support/test-env.js';
import { GatewayConfig } from '../src/config/gateway-config.js';
import { analyzeEngineDatabase } from './engine-statistics.js';
import { inParallel, percentile, round, sample, timed } from './measure.js';
import { engineStarts, gatewayStarts } from './start-comparison.js';
import { asAdmin, deployTicketModel, ticketVariables } from './ticket-model.js';

// Sizes from the issue; BENCH_INSTANCES makes a quick smoke run possible.
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 10_000);
// The gateway runs with its defaults: the lag and the idle poll's cost are what an installation gets.
const DEFAULTS = new GatewayConfig();
const POLL_INTERVAL_MS = DEFAULTS.SYNC_INTERVAL_MS;
const OVERLAP_MS = DEFAULTS.SYNC_OVERLAP_MS;
const key = `benchapproval${Date.now()}`;
const rows: string[] = [];
const report = (line: string) => {
  rows.push(line);
  console.log(line);
};

/** Pages through the bench's open instances, their tasks, variables and candidate links; returns the requests made. */
async function pageEngineLists(): Promise<number> {
  const page = 1_000;
  const streams = [
    (first: number) =>
      engineRest<unknown[]>('POST', `/history/process-instance?firstResult=${first}&maxResults=${page}`, { processDefinitionKey: key, unfinished: true }),
    (first: number) =>
      engineRest<unknown[]>('POST', `/history/task?firstResult=${first}&maxResults=${page}`, { processDefinitionKey: key, processUnfinished: true }),
    (first: number) =>
      engineRest<unknown[]>('POST', `/history/variable-instance?deserializeValues=false&firstResult=${first}&maxResults=${page}`, {
        processDefinitionKey: key,
      }),
    (first: number) =>
      engineRest<unknown[]>('GET', `/history/identity-link-log?processDefinitionKey=${key}&type=candidate&firstResult=${first}&maxResults=${page}`),
  ];
  const requests = await Promise.all(
    streams.map(async (read) => {
      let made = 0;
      for (let first = 0; ; first += page) {
        made += 1;
        if ((await read(first)).length < page) return made;
      }
    }),
  );
  return requests.reduce((sum, made) => sum + made, 0);
}

/**
 * One instance per request, 16 at a time, and their history kept: a cascading deployment delete is one engine
 * transaction that deletes history task by task, each a scan of the engine's whole variable history (no index on
 * ACT_HI_VARINST.TASK_ID_): 10,000 ticket instances took more than five minutes.
 */
async function deleteOpenInstances(deploymentId: string): Promise<void> {
  for (;;) {
    const page = await engineRest<{ id: string }[]>('GET', `/process-instance?deploymentId=${deploymentId}&maxResults=1000`);
    if (page.length === 0) return;
    await inParallel(page.length, 16, (index) => engineRest('DELETE', `/process-instance/${page[index].id}?skipCustomListeners=true&skipIoMappings=true`));
  }
}

async function residentMemory(gatewayUrl: string): Promise<number> {
  return (await memory(gatewayUrl)).resident;
}

/** Resident memory and the V8 heap in use: a resident size well above the heap is memory V8 keeps, not data held. */
async function memory(gatewayUrl: string): Promise<{ resident: number; heapUsed: number }> {
  const metrics = await (await fetch(`${gatewayUrl}/metrics`, await asAdmin())).text();
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN);
  return { resident: metric('camunda_gateway_process_resident_memory_bytes'), heapUsed: metric('camunda_gateway_nodejs_heap_size_used_bytes') };
}

async function main(): Promise<void> {
  const database = new pg.Client({ connectionString: testEnv.databaseUrl });
  await database.connect();
  const deploymentId = await deployTicketModel(key);
  const proxy = new RecordingProxy(new URL(testEnv.camundaUrl));
  await proxy.start();
  let gateway: GatewayProcess | undefined;
  try {
    report(
      `# camunda-gateway benchmarks\n\n${new Date().toISOString()}, ${INSTANCES} open instances, one machine (2 cores), real engine, PostgreSQL and RabbitMQ.\n`,
    );
    const created = await timed(() =>
      inParallel(INSTANCES, 16, (index) =>
        engineRest<{ id: string }>('POST', `/process-definition/key/${key}/start`, { businessKey: `BENCH-${index}`, variables: ticketVariables(index) }),
      ),
    );
    console.log(`created ${INSTANCES} instances in ${round(created.ms / 1000)} s`);
    report(
      `The engine's database was analyzed after the instances were created (ANALYZE, ${await analyzeEngineDatabase()} s): autovacuum is off on this machine.\n`,
    );

    // Baseline: the cheapest way to read the same data, paging the engine's list endpoints, all four at once.
    const paged = await timed(() => pageEngineLists());
    // Initial import: a gateway with an empty mirror reads every open instance (the bench's and whatever else is open).
    const importRun = await timed(async () => {
      gateway = await GatewayProcess.start({ CAMUNDA_URL: proxy.url, SYNC_RECONCILE_CRON: '0 0 0 1 1 *' });
      return eventually(
        async () => {
          const {
            rows: [row],
          } = await database.query(`SELECT progress FROM sync_cursors WHERE name = 'import'`);
          if (row?.progress?.phase !== 'done') throw new Error(`${row?.progress?.done ?? 0} imported`);
          return row.progress as { done: number; startedAt: string; finishedAt: string };
        },
        3_600_000,
        200,
      );
    });
    const imported = importRun.value;
    const importSeconds = (new Date(imported.finishedAt).getTime() - new Date(imported.startedAt).getTime()) / 1000;
    const importRate = imported.done / importSeconds;
    const pagingRate = INSTANCES / (paged.ms / 1000);
    report('| benchmark | gateway | baseline (same run) | ratio |\n|---|---|---|---|');
    report(
      `| initial import | ${round(importRate)} instances/s: ${imported.done} open instances (instance, tasks, candidates, 5 variables, incidents, mirror rows, events) in ${round(importSeconds)} s; ${round(importRun.ms / 1000)} s including the gateway's start | ${round(pagingRate)} instances/s: paging the engine's history instance, task, variable and identity-link lists for the bench's ${INSTANCES} (${paged.value} requests) | ${round(importRate / pagingRate, 2)} |`,
    );

    // Idle poll: nothing changes, how much does a poll cost?
    await eventually(
      async () => {
        const {
          rows: [row],
        } = await database.query(`SELECT count(*)::int AS n FROM outbox_events WHERE published_at IS NULL`);
        if (row.n > 0) throw new Error('outbox still draining');
      },
      600_000,
      500,
    );
    // Past the overlap window, nothing the import touched is looked at again: from here on nothing changes.
    await new Promise((resolve) => setTimeout(resolve, OVERLAP_MS + POLL_INTERVAL_MS));
    const requestCounts: number[] = [];
    const polls = await sample(20, async () => {
      const before = proxy.requests.length;
      await fetch(`${gateway!.url}/sync/run`, { method: 'POST', ...(await asAdmin()) });
      requestCounts.push(proxy.requests.length - before);
    });
    const requestsPerPoll = percentile(requestCounts, 50);
    const directQuery = await sample(20, () => engineRest('GET', '/history/process-instance?unfinished=true&maxResults=1'));
    report(
      `| idle poll at ${INSTANCES} open instances | ${requestsPerPoll} engine requests, median ${round(percentile(polls, 50))} ms; at the default ${POLL_INTERVAL_MS} ms interval ${round((requestsPerPoll * 1000) / POLL_INTERVAL_MS, 1)} engine requests/s | one engine query: median ${round(percentile(directQuery, 50))} ms | ${round(percentile(polls, 50) / percentile(directQuery, 50), 2)} |`,
    );

    // The proxy is the idle poll's counter only: every request through it pays a hop the engine baseline does not.
    // From here on the gateway talks to the engine directly, on the mirror it built (a restart keeps it).
    await gateway!.stop();
    gateway = await GatewayProcess.start({ CAMUNDA_URL: testEnv.camundaUrl, SYNC_RECONCILE_CRON: '0 0 0 1 1 *' });

    // Full reconcile: every open instance and task compared; the polls go on beside it, memory stays bounded.
    const rssBefore = await residentMemory(gateway.url);
    const reconcileStartedAt = new Date();
    const asRoot = await asAdmin();
    const reconcile = await timed(() =>
      fetch(`${gateway!.url}/sync/reconcile`, { method: 'POST', ...asRoot }).then(
        (response) => response.json() as Promise<{ instancesRefreshed: number; changesApplied: number }>,
      ),
    );
    const rssAfter = await residentMemory(gateway.url);
    const {
      rows: [pollsBeside],
    } = await database.query(`SELECT count(*)::int AS n FROM sync_runs WHERE name = 'engine-changes' AND started_at BETWEEN $1 AND now()`, [
      reconcileStartedAt,
    ]);
    report(
      `| full reconcile at ${INSTANCES} open instances | ${round(reconcile.ms / 1000, 1)} s, ${reconcile.value.instancesRefreshed} open instances and tasks compared, ${reconcile.value.changesApplied} fixed; ${pollsBeside.n} polls ran beside it; resident memory ${round(rssBefore / 1048576)} → ${round(rssAfter / 1048576)} MiB | target 60 s at 100,000 | ${round(reconcile.ms / 60_000, 2)} |`,
    );

    // Task list: the mirror against engine-rest /task for the same page.
    const query = `candidateGroup=managers&processDefinitionKey=${key}`;
    const admin = await asAdmin();
    const fromMirror = await sample(200, () => fetch(`${gateway!.url}/tasks?${query}&limit=100`, admin).then((response) => response.json()));
    // The engine's own query slows with the table (seconds a request at 10,000): fewer samples of it at larger sizes.
    const engineSamples = Math.max(10, Math.min(200, Math.round(400_000 / INSTANCES)));
    const fromEngine = await sample(engineSamples, () => engineRest('GET', `/task?${query}&maxResults=100`));
    report(
      `| task list, 100 of ${INSTANCES} open tasks by candidate group | median ${round(percentile(fromMirror, 50))} ms, p99 ${round(percentile(fromMirror, 99))} ms | engine-rest /task (${engineSamples} requests): median ${round(percentile(fromEngine, 50))} ms, p99 ${round(percentile(fromEngine, 99))} ms | ${round(percentile(fromMirror, 50) / percentile(fromEngine, 50), 3)} |`,
    );

    // Every filter and sort of GET /tasks, three pages deep: the worst p99 is what a frontend would meet.
    const filters: Record<string, string> = {
      'open (no filter)': '',
      processDefinitionKey: `processDefinitionKey=${key}`,
      candidateGroup: 'candidateGroup=managers',
      candidateUser: 'candidateUser=mary',
      assignee: 'assignee=bench',
      unassigned: 'unassigned=true',
      businessKey: 'businessKey=BENCH-7',
      state: 'state=CREATED',
      suspended: 'suspended=false',
      priority: 'priority=50',
      createdAfter: `createdAfter=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`,
      dueBefore: `dueBefore=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`,
    };
    const listRows: string[] = [];
    let worstP99 = 0;
    for (const [filter, filterQuery] of Object.entries(filters)) {
      const p99s: number[] = [];
      for (const sortBy of ['created', 'due', 'priority', 'name']) {
        const samples: number[] = [];
        for (let round = 0; round < 10; round++) {
          let cursor: string | null = null;
          for (let page = 0; page < 3; page++) {
            const url: string = `${gateway.url}/tasks?${filterQuery}&sortBy=${sortBy}&sortOrder=${round % 2 === 0 ? 'asc' : 'desc'}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
            const { ms, value }: { ms: number; value: { nextCursor: string | null } } = await timed(() =>
              fetch(url, admin).then((response) => response.json() as Promise<{ nextCursor: string | null }>),
            );
            samples.push(ms);
            cursor = value.nextCursor;
            if (!cursor) break;
          }
        }
        p99s.push(percentile(samples, 99));
      }
      worstP99 = Math.max(worstP99, ...p99s);
      listRows.push(`${filter} ${p99s.map((p99) => round(p99)).join(' / ')}`);
    }
    report(
      `| GET /tasks p99 per filter × sort (created / due / priority / name, asc and desc, 3 pages of 50) | worst ${round(worstP99)} ms; ${listRows.join('; ')} | target 20 ms | ${round(worstP99 / 20, 2)} |`,
    );

    // Starting a ticket through the gateway (read-your-writes included) against the engine's own start, 16 clients each.
    const starts = Number(process.env.BENCH_STARTS ?? 400);
    const engineRun = await engineStarts(key, starts, 'ENGINE');
    const gatewayRun = await gatewayStarts(gateway.url, admin, key, starts, 'GATEWAY');
    report(
      `| start a ticket, 16 concurrent clients, ${starts} each | p50 ${round(gatewayRun.p50)} ms, ${round(gatewayRun.perSecond)}/s (engine start, mirror rows, events, answer) | engine-rest start: p50 ${round(engineRun.p50)} ms, ${round(engineRun.perSecond)}/s | p50 ${round(gatewayRun.p50 / engineRun.p50, 2)}×, throughput ${round(gatewayRun.perSecond / engineRun.perSecond, 2)}× |`,
    );

    // Authentication: the same page from a second gateway on the same mirror with the guard off, requests interleaved.
    const unguarded = await GatewayProcess.start({
      AUTH_DISABLED: 'true',
      CAMUNDA_URL: testEnv.camundaUrl,
      SYNC_INTERVAL_MS: '3600000',
      SYNC_RECONCILE_CRON: '0 0 0 1 1 *',
    });
    try {
      const guardedSamples: number[] = [];
      const unguardedSamples: number[] = [];
      for (let i = 0; i < 400; i++) {
        const [target, samples, init] = i % 2 === 0 ? [gateway.url, guardedSamples, admin] : [unguarded.url, unguardedSamples, {}];
        samples.push((await timed(() => fetch(`${target}/tasks?${query}&limit=100`, init).then((response) => response.json()))).ms);
      }
      const added = percentile(guardedSamples, 50) - percentile(unguardedSamples, 50);
      report(
        `| authentication on GET /tasks (200 requests each, interleaved) | median ${round(percentile(guardedSamples, 50), 2)} ms with the guard (token verified, caller cached) | median ${round(percentile(unguardedSamples, 50), 2)} ms with AUTH_DISABLED | +${round(added, 2)} ms |`,
      );
    } finally {
      await unguarded.stop();
    }

    // Lag: an out-of-band claim until its task.assigned is on RabbitMQ.
    const connection = await connect(testEnv.rabbitmqUrl);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, 'camunda.events', 'task.assigned');
    const arrived = new Map<string, number>();
    await channel.consume(
      queue,
      (message) => {
        if (message) arrived.set(JSON.parse(message.content.toString()).data.taskId, performance.now());
      },
      { noAck: true },
    );
    const tasks = await engineRest<{ id: string }[]>('GET', `/task?processDefinitionKey=${key}&maxResults=60`);
    const lags: number[] = [];
    for (const task of tasks) {
      // A random moment within the poll cycle, as real changes come: otherwise claims lock step with the polls.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * POLL_INTERVAL_MS));
      await engineRest('POST', `/task/${task.id}/claim`, { userId: 'bench' });
      const claimedAt = performance.now();
      await eventually(
        () => {
          if (!arrived.has(task.id)) throw new Error('not yet');
        },
        30_000,
        5,
      );
      lags.push(arrived.get(task.id)! - claimedAt);
    }
    await connection.close();
    report(
      `| lag, out-of-band claim to task.assigned on RabbitMQ (${lags.length} claims) | median ${round(percentile(lags, 50))} ms, p99 ${round(percentile(lags, 99))} ms | poll interval ${POLL_INTERVAL_MS} ms | ${round(percentile(lags, 50) / POLL_INTERVAL_MS, 2)} |`,
    );

    const after = await memory(gateway.url);
    report(`\nGateway resident memory after the run: ${round(after.resident / 1048576)} MiB (V8 heap in use ${round(after.heapUsed / 1048576)} MiB).`);
    writeFileSync(process.env.BENCH_RESULTS ?? 'bench/results.md', `${rows.join('\n')}\n`);
  } finally {
    await gateway?.stop();
    await proxy.stop();
    await database.end();
    // BENCH_CLEANUP=false for an engine of the bench's own, dropped after the run (100,000 deletes take long).
    if (process.env.BENCH_CLEANUP !== 'false') {
      console.log('cleaning up: deleting the bench instances, then the deployment (their history stays)');
      await deleteOpenInstances(deploymentId);
      await engineRest('DELETE', `/deployment/${deploymentId}`);
    }
  }
}

await main();
