import type { ExternalTaskActions } from '../camunda/external-task-topics.js';

export type LostReason = 'lock-refused' | 'shutdown';

/**
 * Keeps one task's lock while its handler runs: renews it every third of the lock duration (a renewal may be slow
 * or fail once without the lock running out), so a handler may take as long as it needs. When the engine refuses a
 * renewal (instance cancelled, task taken by another worker) or shutdown gives up on the task, the signal aborts
 * and the outcome is dropped.
 */
export class LockKeeper {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private renewal: Promise<void> = Promise.resolve();
  private settled = false;

  constructor(
    private readonly actions: ExternalTaskActions,
    readonly lockDurationMs: number,
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

  giveUp(reason: LostReason): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
    clearTimeout(this.timer);
  }

  /**
   * Stops renewing and waits for a renewal in flight: called before the outcome goes to the engine, since a renewal
   * the engine takes after a failure report would replace the retry timeout it just set.
   */
  async settle(): Promise<void> {
    this.settled = true;
    clearTimeout(this.timer);
    await this.renewal;
  }

  private schedule(): void {
    if (this.settled || this.lostReason) return;
    this.timer = setTimeout(() => {
      this.renewal = this.renew();
      void this.renewal.then(() => this.schedule());
    }, this.lockDurationMs / 3);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    if (this.settled || this.lostReason) return;
    try {
      const answer = await this.actions.extendLock(this.lockDurationMs);
      if (answer === 'lost') this.giveUp('lock-refused');
      else this.onExtended();
    } catch (error) {
      // The engine did not answer, or refused for a reason of its own: the lock may still hold; the next renewal tries again.
      this.onRenewalError(error as Error);
    }
  }
}
