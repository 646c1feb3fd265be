import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { AuditLog } from './audit-log.js';

// Small enough that one DELETE holds its row locks and WAL burst briefly, whatever the backlog.
const DELETE_BATCH_SIZE = 1_000;

/** Deletes audit rows older than AUDIT_RETENTION_MS, in bounded batches, every AUDIT_RETENTION_SWEEP_MS. */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditRetention.name);
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly auditLog: AuditLog,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(() => undefined)
        .catch((error: Error) => this.logger.warn(`Audit retention sweep failed: ${error.message}`))
        .finally(() => (this.sweeping = null));
    }, this.config.AUDIT_RETENTION_SWEEP_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** Returns how many rows it deleted. */
  async sweep(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = await this.auditLog.deleteOlderThan(this.config.AUDIT_RETENTION_MS, DELETE_BATCH_SIZE);
      deleted += count;
      if (count < DELETE_BATCH_SIZE || this.stopped) return deleted;
    }
  }
}
