// How far a poll between deep ones looks back: rows that commit within a second of their timestamp, which is nearly
// all of them. Later ones wait for the next deep poll.
const RECENT_OVERLAP_MS = 1_000;
// A slow poll or a lock held a while by another replica: windows can start this much earlier than the overlap says.
const SLACK_MS = 60_000;

export interface PollWindow {
  from: Date;
  /** A deep window reaches back past every row committed within the overlap of its timestamp. */
  deep: boolean;
}

/**
 * Where each poll starts to look. A row the engine commits late carries an older timestamp, so polls look back by
 * SYNC_OVERLAP_MS; doing that in every poll lists each change overlap ÷ interval times (eleven at the defaults), and
 * at a few hundred changes a second the listing is the poll's main cost, for the engine too. So most polls look
 * back one second, and one poll per overlap looks back from the start of the previous deep poll minus the overlap:
 * the first deep poll that starts after a row commits still finds it. A short poll runs only within one overlap
 * of this replica's last deep poll, which bounds how far back a deep poll ever needs to look: twice the overlap
 * from the last poll's start, whoever ran it (a replica just booted or taking over the lock has no deep start).
 */
export class PollWindows {
  private lastDeepStart: number | null = null;

  constructor(private readonly overlapMs: number) {}

  /**
   * The window of a poll starting at `startedAt`, after the last successful poll (any replica's) started at
   * `position`. `deep` asks for a deep one whether due or not (a caller waiting on what a command of theirs did).
   */
  next(position: Date, startedAt: Date, options: { deep?: boolean } = {}): PollWindow {
    const atMost = position.getTime() - 2 * this.overlapMs;
    // A clock set back since: the deep start lies ahead, so it is treated as unknown and a deep poll starts over.
    if (this.lastDeepStart !== null && this.lastDeepStart > startedAt.getTime()) this.lastDeepStart = null;
    if (this.lastDeepStart === null) return { from: new Date(atMost), deep: true };
    if (options.deep || startedAt.getTime() - this.lastDeepStart >= this.overlapMs) {
      // Twice the overlap from the last poll always suffices: a replica that gets the poll back after a long while
      // must not list everything since its own last deep poll.
      return { from: new Date(Math.max(this.lastDeepStart - this.overlapMs, atMost)), deep: true };
    }
    return { from: new Date(position.getTime() - Math.min(this.overlapMs, RECENT_OVERLAP_MS)), deep: false };
  }

  /** Only a deep poll that succeeded moves the deep start: a failed one is due again at the next poll. */
  succeeded(window: PollWindow, startedAt: Date): void {
    if (window.deep) this.lastDeepStart = startedAt.getTime();
  }
}

/**
 * How long after a poll the windows of later polls can still hold what it listed (a replica taking over with an older
 * deep start can look further back: it refreshes such a change once more, it loses nothing).
 */
export function lookBackMs(overlapMs: number): number {
  return 2 * overlapMs + SLACK_MS;
}
