import type { ExternalTaskActions } from '../camunda/external-task-topics.js';

export type LostReason = 'lock-refused' | 'shutdown';

/**
 * Keeps one task's lock while its handler runs: renews it every third of the lock duration (a renewal may be slow
 * or fail once without the lock running out), so a handler may take as long as it needs. When the engine refuses a renewal (instance cancelled, task taken by another worker) or shutdown
 * gives up on the task, the signal aborts and the outcome is dropped.
 */
export class LockKeeper {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly actions: ExternalTaskActions,
    private readonly lockDurationMs: number,
    private readonly onExtended: () => void,
    private readonly onRenewalError: (error: Error) => void,
  ) {
    this.schedule();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get lostReason(): LostReason | null {
    return this.controller.signal.aborted ? (this.controller.signal.reason as LostReason) : null;
  }

  /** Asks the engine now whether the task is still ours, renewing the lock: before side effects that must not outlive it. */
  async confirm(): Promise<boolean> {
    if (this.lostReason) return false;
    await this.renew();
    return this.lostReason === null;
  }

  giveUp(reason: LostReason): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    this.stop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.renew().finally(() => this.schedule()), this.lockDurationMs / 3);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    try {
      const answer = await this.actions.extendLock(this.lockDurationMs);
      if (answer === 'lost') this.giveUp('lock-refused');
      else this.onExtended();
    } catch (error) {
      // The engine did not answer: the lock may still hold; the next renewal tries again.
      this.onRenewalError(error as Error);
    }
  }
}
