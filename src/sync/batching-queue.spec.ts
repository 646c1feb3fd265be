import { BatchingQueue, type ItemOutcome } from './batching-queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('BatchingQueue', () => {
  it('runs the first item at once and gathers what arrives meanwhile into the next batch', async () => {
    const batches: number[][] = [];
    const gates: ReturnType<typeof deferred>[] = [];
    const queue = new BatchingQueue<number, number>(
      async (items) => {
        batches.push(items);
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
        return items.map((item) => ({ ok: true, value: item * 10 }));
      },
      1,
      100,
    );
    const first = queue.submit(1);
    const rest = [2, 3, 4].map((item) => queue.submit(item));
    expect(batches).toEqual([[1]]);
    gates[0].resolve();
    await expect(first).resolves.toBe(10);
    await Promise.resolve();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates[1].resolve();
    await expect(Promise.all(rest)).resolves.toEqual([20, 30, 40]);
  });

  it('keeps at most maxRunning batches of at most maxBatch items running', async () => {
    let running = 0;
    let mostRunning = 0;
    const sizes: number[] = [];
    const queue = new BatchingQueue<number, number>(
      async (items) => {
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        sizes.push(items.length);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        return items.map((item) => ({ ok: true, value: item }));
      },
      2,
      3,
    );
    const values = await Promise.all(Array.from({ length: 20 }, (_, item) => queue.submit(item)));
    expect(values).toEqual(Array.from({ length: 20 }, (_, item) => item));
    expect(mostRunning).toBe(2);
    expect(Math.max(...sizes)).toBe(3);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(20);
  });

  it('fails only the items whose outcome is an error, and every item when the batch itself throws', async () => {
    const outcomes = (items: number[]): ItemOutcome<number>[] =>
      items.map((item) => (item % 2 === 0 ? { ok: true, value: item } : { ok: false, error: new Error(`item ${item}`) }));
    const mixed = new BatchingQueue<number, number>(async (items) => outcomes(items), 1, 10);
    const [even, odd] = [mixed.submit(2), mixed.submit(3)];
    await expect(even).resolves.toBe(2);
    await expect(odd).rejects.toThrow('item 3');

    const broken = new BatchingQueue<number, number>(() => Promise.reject(new Error('engine down')), 1, 10);
    const all = [broken.submit(1), broken.submit(2)];
    await expect(all[0]).rejects.toThrow('engine down');
    await expect(all[1]).rejects.toThrow('engine down');
    // A failed batch frees its slot: the queue keeps working.
    await expect(mixed.submit(4)).resolves.toBe(4);
  });
});
