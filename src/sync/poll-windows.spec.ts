import { PollWindows, type PollWindow } from './poll-windows.js';

const OVERLAP = 5_000;
const INTERVAL = 500;

/**
 * Runs polls every INTERVAL ms (each starting where the last successful one started, as the cursor does) and says,
 * for a row with engine timestamp `t` committed at `committedAt`, which poll first lists it: the first poll that
 * starts after the commit and whose window reaches back to `t`.
 */
function firstPollListing(row: { t: number; committedAt: number }, options: { failing?: (startedAt: number) => boolean; bootAt?: number } = {}): number | null {
  const windows = new PollWindows(OVERLAP);
  let position = options.bootAt ?? 0;
  for (let startedAt = position + INTERVAL; startedAt < 60_000; startedAt += INTERVAL) {
    const window: PollWindow = windows.next(new Date(position), new Date(startedAt));
    if (options.failing?.(startedAt)) continue;
    if (startedAt > row.committedAt && window.from.getTime() <= row.t) return startedAt;
    windows.succeeded(window, new Date(startedAt));
    position = startedAt;
  }
  return null;
}

describe('PollWindows', () => {
  it('looks back the whole overlap in one poll per overlap and one second in the polls between', () => {
    const windows = new PollWindows(OVERLAP);
    const kinds: string[] = [];
    let position = 0;
    for (let startedAt = INTERVAL; startedAt <= 12_000; startedAt += INTERVAL) {
      const window = windows.next(new Date(position), new Date(startedAt));
      kinds.push(window.deep ? `deep ${startedAt - window.from.getTime()}` : `recent ${startedAt - window.from.getTime()}`);
      windows.succeeded(window, new Date(startedAt));
      position = startedAt;
    }
    // Just booted: twice the overlap back from the last poll's start.
    expect(kinds[0]).toBe(`deep ${INTERVAL + 2 * OVERLAP}`);
    expect(kinds.filter((kind) => kind.startsWith('deep'))).toHaveLength(3);
    expect(kinds.filter((kind) => kind === `recent ${INTERVAL + 1_000}`)).toHaveLength(kinds.length - 3);
  });

  it('finds a row committed within the overlap of its timestamp, however late in that overlap and wherever in the cycle', () => {
    for (let committedAt = 7_000; committedAt < 13_000; committedAt += 37) {
      for (const delay of [0, 200, 900, 1_100, 2_500, 4_999, OVERLAP]) {
        const found = firstPollListing({ t: committedAt - delay, committedAt });
        expect({ committedAt, delay, found: found !== null && found - committedAt <= OVERLAP + INTERVAL }).toEqual({ committedAt, delay, found: true });
      }
    }
  });

  it('finds a quickly committed row in the next poll', () => {
    expect(firstPollListing({ t: 9_990, committedAt: 10_010 })).toBe(10_500);
  });

  it('keeps a failed deep poll due, so the next poll looks back as far', () => {
    const windows = new PollWindows(OVERLAP);
    const first = windows.next(new Date(0), new Date(500));
    windows.succeeded(first, new Date(500));
    const due = windows.next(new Date(500), new Date(5_500));
    expect(due).toEqual({ from: new Date(500 - OVERLAP), deep: true });
    // Not succeeded: still due, from the same deep start.
    expect(windows.next(new Date(500), new Date(6_000))).toEqual({ from: new Date(500 - OVERLAP), deep: true });
    // Rows committed late while deep polls failed are found once they succeed again.
    const found = firstPollListing({ t: 7_000, committedAt: 11_000 }, { failing: (startedAt) => startedAt > 5_000 && startedAt < 20_000 });
    expect(found).toBe(20_000);
  });

  it('looks back far enough after a boot or a takeover, from the last poll of another replica', () => {
    // The other replica's last deep poll started at most one overlap before its last poll: twice the overlap covers it.
    const windows = new PollWindows(OVERLAP);
    const otherReplicasLastPoll = new Date(100_000);
    expect(windows.next(otherReplicasLastPoll, new Date(100_400))).toEqual({ from: new Date(100_000 - 2 * OVERLAP), deep: true });
  });

  it('looks back no further than twice the overlap when it gets the poll back after a long while', () => {
    const windows = new PollWindows(OVERLAP);
    windows.succeeded(windows.next(new Date(0), new Date(10_000)), new Date(10_000));
    // Another replica polled for an hour meanwhile.
    expect(windows.next(new Date(3_610_000), new Date(3_610_500))).toEqual({ from: new Date(3_610_000 - 2 * OVERLAP), deep: true });
  });

  it('starts over with a deep poll when the clock was set back', () => {
    const windows = new PollWindows(OVERLAP);
    windows.succeeded(windows.next(new Date(0), new Date(600_000)), new Date(600_000));
    // Set back ten minutes: without this every poll would be short until the clock passed the old deep start.
    expect(windows.next(new Date(600_000), new Date(500))).toEqual({ from: new Date(600_000 - 2 * OVERLAP), deep: true });
  });

  it('looks back the whole overlap when asked, even when no deep poll is due', () => {
    const windows = new PollWindows(OVERLAP);
    windows.succeeded(windows.next(new Date(0), new Date(500)), new Date(500));
    expect(windows.next(new Date(500), new Date(1_000)).deep).toBe(false);
    expect(windows.next(new Date(500), new Date(1_000), { deep: true })).toEqual({ from: new Date(500 - OVERLAP), deep: true });
  });

  it('never misses a row across two replicas taking turns, failures before and after listing, and restarts', () => {
    // A seeded generator, so a failure can be replayed.
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let run = 0; run < 200; run++) {
      const replicas = [new PollWindows(OVERLAP), new PollWindows(OVERLAP)];
      const rows = Array.from({ length: 20 }, () => {
        const committedAt = 2_000 + random() * 40_000;
        return { t: committedAt - random() * OVERLAP, committedAt, listedAt: null as number | null };
      });
      let position = 0;
      for (let startedAt = 500; startedAt < 60_000; startedAt += 200 + random() * 600) {
        const index = random() < 0.7 ? 0 : 1;
        if (random() < 0.01) replicas[index] = new PollWindows(OVERLAP);
        const window = replicas[index].next(new Date(position), new Date(startedAt));
        if (random() < 0.15) continue;
        for (const row of rows) if (row.listedAt === null && row.committedAt < startedAt && window.from.getTime() <= row.t) row.listedAt = startedAt;
        if (random() < 0.1) continue;
        replicas[index].succeeded(window, new Date(startedAt));
        position = startedAt;
      }
      expect(rows.filter((row) => row.listedAt === null)).toEqual([]);
    }
  });

  it('lists a late row within one overlap and a poll interval of its commit, while polls succeed', () => {
    let worst = 0;
    for (let committedAt = 7_000; committedAt < 30_000; committedAt += 13) {
      for (const delay of [1_001, 3_000, OVERLAP]) worst = Math.max(worst, firstPollListing({ t: committedAt - delay, committedAt })! - committedAt);
    }
    expect(worst).toBeLessThanOrEqual(OVERLAP + INTERVAL);
    expect(worst).toBeGreaterThan(OVERLAP - INTERVAL);
  });
});
