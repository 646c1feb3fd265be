import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { EngineSupportModule } from '../engine-support/engine-support.module.js';
import { EventsModule } from '../events/events.module.js';
import { HttpMetrics } from '../http/http-metrics.js';
import { SyncModule } from '../sync/sync.module.js';
import { WorkersModule } from '../workers/workers.module.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { MetricsController } from './metrics.controller.js';

@Module({
  imports: [EngineSupportModule, CamundaModule, EventsModule, SyncModule, WorkersModule],
  controllers: [MetricsController],
  providers: [GatewayMetrics, HttpMetrics],
  exports: [GatewayMetrics, HttpMetrics],
})
export class MetricsModule {}
