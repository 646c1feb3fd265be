import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { BatchedSweep } from '../database/batched-sweep.js';
import { AuditLog } from './audit-log.js';

/** Deletes audit rows older than AUDIT_RETENTION_MS, in bounded batches, every AUDIT_RETENTION_SWEEP_MS. */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly sweeper: BatchedSweep;

  constructor(
    auditLog: AuditLog,
    private readonly config: GatewayConfig,
  ) {
    this.sweeper = new BatchedSweep('Audit retention', (limit) => auditLog.deleteOlderThan(config.AUDIT_RETENTION_MS, limit));
  }

  onApplicationBootstrap(): void {
    this.sweeper.start(this.config.AUDIT_RETENTION_SWEEP_MS);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.sweeper.stop();
  }

  /** Returns how many rows it deleted. */
  sweep(): Promise<number> {
    return this.sweeper.run();
  }
}
