import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { GatewayConfig } from '../config/gateway-config.js';
import { SyncService } from './sync.service.js';

const INTERVAL_NAME = 'engine-changes-poll';

/** Runs the incremental poll every SYNC_INTERVAL_MS; a tick that finds a poll still running is skipped. */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SyncScheduler.name);
  private failing = false;

  constructor(
    private readonly sync: SyncService,
    private readonly registry: SchedulerRegistry,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => void this.tick(), this.config.SYNC_INTERVAL_MS));
  }

  /** Stops ticking and lets a running poll finish while the database is still there. */
  async beforeApplicationShutdown(): Promise<void> {
    this.registry.deleteInterval(INTERVAL_NAME);
    await this.sync.idle();
  }

  private async tick(): Promise<void> {
    if (this.sync.isPolling()) return;
    try {
      await this.sync.runPoll();
      if (this.failing) this.logger.log('Scheduled sync recovered');
      this.failing = false;
    } catch (error) {
      // Logged once per outage, not once per tick.
      if (!this.failing) this.logger.warn(`Scheduled sync failed: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}
