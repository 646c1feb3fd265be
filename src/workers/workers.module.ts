import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { TicketProcessingWorker } from './ticket-processing.worker.js';

@Module({
  imports: [CamundaModule, SyncModule],
  providers: [TicketProcessingWorker],
})
export class WorkersModule {}
