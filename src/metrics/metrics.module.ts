import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { WorkersModule } from '../workers/workers.module.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsController } from './metrics.controller.js';

@Module({
  imports: [EventsModule, SyncModule, WorkersModule],
  controllers: [MetricsController],
  providers: [GatewayMetrics],
  exports: [GatewayMetrics],
})
export class MetricsModule {}
