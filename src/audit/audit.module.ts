import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { AuditController } from './audit.controller.js';
import { AuditLog } from './audit-log.js';
import { AuditRecorder } from './audit-recorder.js';
import { AuditRetention } from './audit-retention.js';

/** The audit trail: who made which command through the gateway, and how it ended. */
@Module({
  imports: [MetricsModule],
  controllers: [AuditController],
  providers: [AuditLog, AuditRecorder, AuditRetention],
  exports: [AuditRecorder],
})
export class AuditModule {}
