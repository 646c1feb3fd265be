import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { GatewayConfig } from '../config/gateway-config.js';
import { SyncService, type SyncRunResult } from './sync.service.js';

const POLL = 'engine-changes-poll';
const RECONCILE = 'full-reconcile';

/** Starts the incremental poll every SYNC_INTERVAL_MS and the full reconcile on SYNC_RECONCILE_CRON; jobs only call SyncService. */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SyncScheduler.name);
  private readonly failing = new Set<string>();
  /** At most one queued or running step per job. */
  private readonly pending = new Set<string>();
  private stopping = false;

  constructor(
    private readonly sync: SyncService,
    private readonly registry: SchedulerRegistry,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    // A poll tick that finds a step running is dropped (the next comes soon); a reconcile tick queues behind it.
    this.registry.addInterval(
      POLL,
      setInterval(() => void (this.sync.isRunning() || this.tick(POLL, () => this.sync.runPoll())), this.config.SYNC_INTERVAL_MS),
    );
    const reconcile = CronJob.from({ cronTime: this.config.SYNC_RECONCILE_CRON, onTick: () => this.tick(RECONCILE, () => this.sync.runReconcile()) });
    this.registry.addCronJob(RECONCILE, reconcile);
    reconcile.start();
  }

  /** Stops scheduling and lets a running step finish while the database is still there. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.registry.deleteInterval(POLL);
    this.registry.deleteCronJob(RECONCILE);
    await this.sync.idle();
  }

  private async tick(name: string, run: () => Promise<SyncRunResult>): Promise<void> {
    if (this.pending.has(name)) return;
    this.pending.add(name);
    let again = false;
    try {
      // While the first import has more to do, the next poll (with its next slice) starts right away.
      again = (await run()).importPending;
      if (this.failing.delete(name)) this.logger.log(`Scheduled ${name} recovered`);
    } catch (error) {
      // Logged once per outage, not once per tick.
      if (!this.failing.has(name)) this.logger.warn(`Scheduled ${name} failed: ${(error as Error).message}`);
      this.failing.add(name);
    } finally {
      this.pending.delete(name);
    }
    if (again && !this.stopping) void this.tick(name, run);
  }
}
