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

export function rateCell<T extends { ms: number }>(tasks: number, outcome: Outcome<T>, detail: (value: T) => string): string {
  if (!outcome.ok) return `not measured: ${outcome.error}`;
  return `${round(perSecond(tasks, outcome.value.ms))} tasks/s (${tasks} in ${round(outcome.value.ms)} ms; ${detail(outcome.value)})`;
}

/** The gateway's rate over the baseline's; three significant digits, so a ratio far below 1 does not show as 0. */
export function ratioCell(gateway: Outcome<{ ms: number }>, baseline: Outcome<{ ms: number }>): string {
  return gateway.ok && baseline.ok ? `${(baseline.value.ms / gateway.value.ms).toPrecision(3)}×` : '—';
}

export function workerDetail(tasks: number) {
  return (run: WorkerRun & { initMs?: number }) =>
    `first task after ${round(run.firstTaskMs)} ms${run.initMs === undefined ? '' : ` (init() took ${round(run.initMs)} ms)`}, then ${round(perSecond(tasks, run.fromFirstTaskMs))} tasks/s`;
}

export function publishDetail(run: PublishRun & { initMs?: number; confirmedMs?: number }): string {
  return `${round(run.bodyBytes)}-byte bodies${run.initMs === undefined ? '' : `, init() took ${round(run.initMs)} ms`}${run.confirmedMs === undefined ? '' : `, all confirmed after ${round(run.confirmedMs)} ms`}`;
}

/**
 * What the table's shape says whatever the numbers are: it follows from how camunda-external-task-client-js polls
 * (after every fetch it waits `interval`, 300 ms by default, which the gateway keeps) and from what the baselines hold.
 */
export const READING_NOTES = `Reading the table:

- With maxTasks 10, both sides of row 1 wait out the library's poll interval (300 ms by default; the gateway does not
  change it) after every fetch of at most 10 tasks: neither can pass about 10 tasks per (fetch time + 300 ms), some
  30 tasks/s, however cheap the handler. Row 1 shows whether the runtime adds waiting per fetch, not what it costs
  per task; rows 1b and 1c, with 100 per fetch, show that cost, and 1c without the mirror's poll beside the workers.
- The raw baseline of row 2 has no engine in it: the gateway side fetches, locks and completes every task at the
  engine under the same 300 ms cadence, the baseline only talks to the broker, so no worker built on the library's
  polling comes near 0.8× of it. Row 2b is the like-for-like comparison: the same fetch and completion with a
  hand-written confirm-publish in between, so its ratio is what the outbox, the lock check and the mirror refreshes
  of gateway.publish cost.`;
