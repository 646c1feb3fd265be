import { readFileSync, writeFileSync } from 'node:fs';
import { GatewayProcess } from '../test/support/gateway-process.js';
import { testEnv } from '../test/support/test-env.js';
import { analyzeEngineDatabase } from './engine-statistics.js';
import { percentile, round } from './measure.js';
import { engineStarts, gatewayStarts, START_CLIENTS, type StartRun } from './start-comparison.js';
import { asAdmin, deployTicketModel } from './ticket-model.js';

// Starts per side per round, and rounds: engine and gateway runs alternate, so a load that comes and goes on the
// machine hits both sides alike; the report gives the median of each round's ratio.
const STARTS = Number(process.env.BENCH_STARTS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const key = `benchstarts${Date.now()}`;

const CLOCK_TICKS_PER_SECOND = 100;

/** User plus system CPU seconds a process has used, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

const median = (values: number[]) => percentile(values, 50);

async function main(): Promise<void> {
  await deployTicketModel(key);
  const analyzedSeconds = await analyzeEngineDatabase();
  const admin = await asAdmin();
  const gateway = await GatewayProcess.start({ CAMUNDA_URL: testEnv.camundaUrl, SYNC_RECONCILE_CRON: '0 0 0 1 1 *' });
  try {
    await gatewayStarts(gateway.url, admin, key, START_CLIENTS * 4, 'WARMUP-GATEWAY');
    await engineStarts(key, START_CLIENTS * 4, 'WARMUP-ENGINE');
    const rounds: { engine: StartRun; gateway: StartRun; gatewayCpuMsPerStart: number }[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      const engine = await engineStarts(key, STARTS, `ENGINE-${index}`);
      const cpuBefore = cpuSeconds(gateway.pid);
      const through = await gatewayStarts(gateway.url, admin, key, STARTS, `GATEWAY-${index}`);
      const gatewayCpuMsPerStart = ((cpuSeconds(gateway.pid) - cpuBefore) * 1000) / STARTS;
      rounds.push({ engine, gateway: through, gatewayCpuMsPerStart });
      console.log(
        `round ${index}: engine p50 ${round(engine.p50)} ms ${round(engine.perSecond)}/s; gateway p50 ${round(through.p50)} ms ${round(through.perSecond)}/s, ${round(gatewayCpuMsPerStart)} ms gateway CPU per start`,
      );
    }
    const p50Ratio = median(rounds.map((r) => r.gateway.p50 / r.engine.p50));
    const throughputRatio = median(rounds.map((r) => r.gateway.perSecond / r.engine.perSecond));
    const lines = [
      `# Start a ticket: gateway vs engine-rest`,
      ``,
      `${new Date().toISOString()}, ${START_CLIENTS} concurrent clients, ${ROUNDS} rounds of ${STARTS} starts per side, engine and gateway runs alternating; one machine (2 cores), real engine, PostgreSQL and RabbitMQ; the engine's database analyzed first (ANALYZE, ${analyzedSeconds} s: autovacuum is off here). Load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`,
      ``,
      `| round | engine-rest p50 / p99, starts/s | gateway p50 / p99, starts/s (engine start, mirror rows, events, answer) | gateway CPU per start | p50 ratio | throughput ratio |`,
      `|---|---|---|---|---|---|`,
      ...rounds.map(
        (r, i) =>
          `| ${i} | ${round(r.engine.p50)} / ${round(r.engine.p99)} ms, ${round(r.engine.perSecond)}/s | ${round(r.gateway.p50)} / ${round(r.gateway.p99)} ms, ${round(r.gateway.perSecond)}/s | ${round(r.gatewayCpuMsPerStart)} ms | ${round(r.gateway.p50 / r.engine.p50, 2)}× | ${round(r.gateway.perSecond / r.engine.perSecond, 2)}× |`,
      ),
      ``,
      `Median of the rounds: p50 **${round(p50Ratio, 2)}×** the engine's (target ≤ 1.5×), throughput **${round(throughputRatio, 2)}×** (target ≥ 0.67×).`,
    ];
    writeFileSync(process.env.BENCH_RESULTS ?? 'bench/results-starts.md', `${lines.join('\n')}\n`);
    console.log(lines.join('\n'));
  } finally {
    await gateway.stop();
  }
}

await main();
