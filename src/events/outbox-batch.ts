import type { PublishOutcome } from './amqp-publisher.js';

export interface BatchRow {
  id: string;
  processInstanceId: string | null;
}

export interface BatchSettlement {
  published: string[];
  rejected: { id: string; reason: string }[];
}

/**
 * Which rows of a published batch count as published. Once a row of an instance was not confirmed, its
 * instance's later rows of the batch stay pending even if the broker confirmed them: they go out again after
 * the failed row, so the last copy a consumer receives of each event follows its predecessors.
 */
export function settleBatch(rows: BatchRow[], outcomes: PublishOutcome[]): BatchSettlement {
  const held = new Set<string>();
  const settlement: BatchSettlement = { published: [], rejected: [] };
  rows.forEach((row, index) => {
    const outcome = outcomes[index] ?? { status: 'unconfirmed' };
    const instance = row.processInstanceId;
    if (instance !== null && held.has(instance)) return;
    if (outcome.status === 'confirmed') {
      settlement.published.push(row.id);
      return;
    }
    if (outcome.status === 'rejected') settlement.rejected.push({ id: row.id, reason: outcome.reason });
    if (instance !== null) held.add(instance);
  });
  return settlement;
}

/** Wait before a refused row is tried again: doubling per attempt from the relay interval, at most maxMs. */
export function retryDelayMs(attempts: number, intervalMs: number, maxMs: number): number {
  return Math.min(maxMs, intervalMs * 2 ** Math.min(attempts, 16));
}
