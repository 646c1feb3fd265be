export { inParallel } from '../test/support/in-parallel.js';

/** Timing helpers for the benchmarks: samples in milliseconds, summarized without averaging away the tail. */
export async function timed<T>(action: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await action();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

export async function sample(times: number, action: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push((await timed(action)).ms);
  return samples;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));
