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

  constructor(
    private readonly sync: SyncService,
    private readonly registry: SchedulerRegistry,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval(POLL, setInterval(() => void this.tick(POLL, () => this.sync.runPoll()), this.config.SYNC_INTERVAL_MS));
    const reconcile = CronJob.from({ cronTime: this.config.SYNC_RECONCILE_CRON, onTick: () => this.tick(RECONCILE, () => this.sync.runReconcile()) });
    this.registry.addCronJob(RECONCILE, reconcile);
    reconcile.start();
  }

  /** Stops scheduling and lets a running step finish while the database is still there. */
  async beforeApplicationShutdown(): Promise<void> {
    this.registry.deleteInterval(POLL);
    this.registry.deleteCronJob(RECONCILE);
    await this.sync.idle();
  }

  /** A tick that finds a sync step running is skipped rather than queued. */
  private async tick(name: string, run: () => Promise<SyncRunResult>): Promise<void> {
    if (this.sync.isRunning()) return;
    try {
      await run();
      if (this.failing.delete(name)) this.logger.log(`Scheduled ${name} recovered`);
    } catch (error) {
      // Logged once per outage, not once per tick.
      if (!this.failing.has(name)) this.logger.warn(`Scheduled ${name} failed: ${(error as Error).message}`);
      this.failing.add(name);
    }
  }
}
