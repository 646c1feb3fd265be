import type { WorkerRun } from './bare-worker.js';
import { round } from './measure.js';
import type { PublishRun } from './publish-bench.js';

/** Table cells of bench/results-workers.md: a rate with how it was made up, or why a side was not measured. */

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

export async function attempt<T>(what: string, run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    console.error(`${what} failed: ${(error as Error).message}`);
    return { ok: false, error: (error as Error).message };
  }
}

export const perSecond = (count: number, ms: number) => (count * 1000) / ms;

type Measured = { ms: number; count?: number };
const countOf = (tasks: number, run: Measured) => run.count ?? tasks;

export function rateCell<T extends Measured>(tasks: number, outcome: Outcome<T>, detail: (value: T) => string): string {
  if (!outcome.ok) return `not measured: ${outcome.error}`;
  const count = countOf(tasks, outcome.value);
  return `${round(perSecond(count, outcome.value.ms))} tasks/s (${count} in ${round(outcome.value.ms)} ms; ${detail(outcome.value)})`;
}

/** The gateway's rate over the baseline's; three significant digits, so a ratio far below 1 does not show as 0. */
export function ratioCell(tasks: number, gateway: Outcome<Measured>, baseline: Outcome<Measured>): string {
  if (!gateway.ok || !baseline.ok) return '—';
  return `${(rateOf(tasks, gateway.value) / rateOf(tasks, baseline.value)).toPrecision(3)}×`;
}

const rateOf = (tasks: number, run: Measured) => perSecond(countOf(tasks, run), run.ms);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/** The run of median rate among those that worked (the lower middle one of an even number), or the first failure. */
export function medianRun<T extends Measured>(tasks: number, runs: Outcome<T>[]): Outcome<T> {
  const measured = runs.filter((run): run is { ok: true; value: T } => run.ok);
  if (measured.length === 0) return runs[0];
  const middle = median(measured.map((run) => rateOf(tasks, run.value)));
  return measured.find((run) => rateOf(tasks, run.value) === middle)!;
}

/** The median run's cell, then every round's rate. */
export function roundsCell<T extends Measured>(tasks: number, runs: Outcome<T>[], detail: (value: T) => string): string {
  const each = runs.map((run) => (run.ok ? `${round(rateOf(tasks, run.value))}` : 'failed')).join(', ');
  return `median ${rateCell(tasks, medianRun(tasks, runs), detail)}; rounds: ${each} tasks/s`;
}

/** The median of the rounds' own ratios (each gateway run over the library run of its round), then each of them. */
export function medianRatioCell(tasks: number, rounds: { gateway: Outcome<Measured>; bare: Outcome<Measured> }[]): string {
  const ratios = rounds.flatMap((pair) => (pair.gateway.ok && pair.bare.ok ? [rateOf(tasks, pair.gateway.value) / rateOf(tasks, pair.bare.value)] : []));
  if (ratios.length === 0) return '—';
  return `${median(ratios).toPrecision(3)}× (${ratios.map((ratio) => `${ratio.toPrecision(3)}×`).join(', ')})`;
}

/** Each round's ratio from the first task on (start-up left out), of the rounds where both sides worked. */
export function ratiosFromFirstTask(rounds: { gateway: Outcome<WorkerRun>; bare: Outcome<WorkerRun> }[]): number[] {
  return rounds.flatMap(({ gateway, bare }) => (gateway.ok && bare.ok ? [bare.value.fromFirstTaskMs / gateway.value.fromFirstTaskMs] : []));
}

export function workerDetail(tasks: number) {
  return (run: WorkerRun & { initMs?: number }) =>
    `first task after ${round(run.firstTaskMs)} ms${run.initMs === undefined ? '' : ` (init() took ${round(run.initMs)} ms)`}, then ${round(perSecond(tasks, run.fromFirstTaskMs))} tasks/s`;
}

export function publishDetail(run: PublishRun & { initMs?: number; confirmedMs?: number }): string {
  return `${run.note ? `${run.note}; ` : ''}${round(run.bodyBytes)}-byte bodies${run.initMs === undefined ? '' : `, init() took ${round(run.initMs)} ms`}${run.confirmedMs === undefined ? '' : `, all confirmed after ${round(run.confirmedMs)} ms`}`;
}

/**
 * What the table's shape says whatever the numbers are: it follows from how camunda-external-task-client-js polls
 * (after every fetch it pauses `interval`, the gateway's WORKER_POLL_INTERVAL_MS) and from what the baselines hold.
 */
export function readingNotes(pollIntervalMs: number): string {
  return `Reading the table:

- Both sides poll the same way: after every fetch (at most maxTasks, and only as many as the in-flight bound leaves
  room for) the library pauses ${pollIntervalMs} ms, the gateway's WORKER_POLL_INTERVAL_MS, given to the bare client too.
  With 10 per fetch that pause and the fetch itself weigh on both sides alike; with 100 per fetch (row 1c) the
  handling and completing weigh more, so the runtime's own cost per task shows better. Every completion ends an
  instance, which a gateway's sync then mirrors and publishes (a process.ended event) in both rows, for either
  side; row 1b leaves that out on both sides (the gateway's sync idle, no gateway beside the library), to tell the
  runtime's cost from the mirror's.
- The raw baseline of row 2 has no engine in it: the gateway side fetches, locks and completes every task at the
  engine, the baseline only talks to the broker, so the ratio says how far engine round trips are from a broker
  alone, and no worker on fetch-and-lock comes near 0.8× of it. Row 2b is the like-for-like comparison: the same
  fetch and completion with a hand-written confirm-publish in between, so its ratio is what gateway.publish does
  beyond that costs: the instance refresh that writes the event to the outbox (held until the engine accepted the
  completion, then released to the relay) and the refresh after the completion; row 2c leaves out the latter
  (refreshMirror false), to show its share.`;
}
