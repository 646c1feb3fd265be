import type { PublishOutcome } from './amqp-publisher.js';
import { retryDelayMs, settleBatch } from './outbox-batch.js';

const confirmed: PublishOutcome = { status: 'confirmed' };
const nacked: PublishOutcome = { status: 'rejected', reason: 'nack' };
const unconfirmed: PublishOutcome = { status: 'unconfirmed' };

describe('settleBatch', () => {
  it('publishes every confirmed row of a clean batch', () => {
    const rows = [
      { id: 'a1', processInstanceId: 'A' },
      { id: 'b1', processInstanceId: 'B' },
      { id: 'a2', processInstanceId: 'A' },
    ];
    expect(settleBatch(rows, [confirmed, confirmed, confirmed])).toEqual({ published: ['a1', 'b1', 'a2'], rejected: [] });
  });

  it('holds the later rows of a refused row’s instance, even confirmed ones, and only those', () => {
    const rows = [
      { id: 'a1', processInstanceId: 'A' },
      { id: 'b1', processInstanceId: 'B' },
      { id: 'a2', processInstanceId: 'A' },
      { id: 'b2', processInstanceId: 'B' },
      { id: 'a3', processInstanceId: 'A' },
    ];
    expect(settleBatch(rows, [nacked, confirmed, confirmed, confirmed, nacked])).toEqual({
      published: ['b1', 'b2'],
      rejected: [{ id: 'a1', reason: 'nack' }],
    });
  });

  it('blames nobody for unconfirmed rows but still holds their instance', () => {
    const rows = [
      { id: 'a1', processInstanceId: 'A' },
      { id: 'a2', processInstanceId: 'A' },
      { id: 'c1', processInstanceId: null },
      { id: 'c2', processInstanceId: null },
    ];
    expect(settleBatch(rows, [unconfirmed, confirmed, unconfirmed, confirmed])).toEqual({ published: ['c2'], rejected: [] });
  });

  it('treats a missing outcome as unconfirmed', () => {
    expect(settleBatch([{ id: 'a1', processInstanceId: 'A' }], [])).toEqual({ published: [], rejected: [] });
  });
});

describe('retryDelayMs', () => {
  it('doubles per attempt up to the cap', () => {
    expect([1, 2, 3].map((attempts) => retryDelayMs(attempts, 100, 30_000))).toEqual([200, 400, 800]);
    expect(retryDelayMs(50, 100, 30_000)).toBe(30_000);
  });
});
