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
  return gateway.ok && baseline.ok ? `${Number((baseline.value.ms / gateway.value.ms).toPrecision(3))}×` : '—';
}

export function workerDetail(tasks: number) {
  return (run: WorkerRun & { initMs?: number }) =>
    `first task after ${round(run.firstTaskMs)} ms${run.initMs === undefined ? '' : ` (init() took ${round(run.initMs)} ms)`}, then ${round(perSecond(tasks, run.fromFirstTaskMs))} tasks/s`;
}

export function publishDetail(run: PublishRun & { initMs?: number; confirmedMs?: number }): string {
  return `${round(run.bodyBytes)}-byte bodies${run.initMs === undefined ? '' : `, init() took ${round(run.initMs)} ms`}${run.confirmedMs === undefined ? '' : `, all confirmed after ${round(run.confirmedMs)} ms`}`;
}
