import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { BatchedSweep } from '../database/batched-sweep.js';
import { AuditLog } from './audit-log.js';

/** Deletes audit rows older than AUDIT_RETENTION_MS, in bounded batches, every AUDIT_RETENTION_SWEEP_MS. */
@Injectable()
export class AuditRetention extends BatchedSweep {
  constructor(
    private readonly auditLog: AuditLog,
    private readonly config: GatewayConfig,
  ) {
    super('Audit retention', config.AUDIT_RETENTION_SWEEP_MS);
  }

  protected deleteBatch(limit: number): Promise<number> {
    return this.auditLog.deleteOlderThan(this.config.AUDIT_RETENTION_MS, limit);
  }
}
