import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CamundaModule } from '../camunda/camunda.module.js';
import { EventsModule } from '../events/events.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { ExternalTaskExecutor } from './external-task-executor.js';
import { GatewayFaults } from './gateway-faults.js';
import { PublishEventWorker } from './publish-event.worker.js';
import { TicketProcessingWorker } from './ticket-processing.worker.js';
import { WorkerMetrics } from './worker-metrics.js';
import { WorkerRuntime } from './worker-runtime.js';

/** External-task workers: the runtime that polls every @ExternalTaskWorker provider, and the gateway's own workers. */
@Module({
  imports: [DiscoveryModule, CamundaModule, EventsModule, SyncModule],
  providers: [WorkerRuntime, ExternalTaskExecutor, GatewayFaults, WorkerMetrics, TicketProcessingWorker, PublishEventWorker],
  exports: [WorkerRuntime, WorkerMetrics],
})
export class WorkersModule {}
