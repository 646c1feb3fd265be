import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { AuditController } from './audit.controller.js';
import { AuditInterceptor } from './audit.interceptor.js';
import { AuditLog } from './audit-log.js';
import { AuditRetention } from './audit-retention.js';

/** The audit trail: who made which command through the gateway, and how it ended. */
@Module({
  imports: [MetricsModule],
  controllers: [AuditController],
  providers: [AuditLog, AuditInterceptor, AuditRetention],
  exports: [AuditInterceptor],
})
export class AuditModule {}
