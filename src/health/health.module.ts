import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CamundaModule } from '../camunda/camunda.module.js';
import { EngineSupportModule } from '../engine-support/engine-support.module.js';
import { EventsModule } from '../events/events.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { WorkersModule } from '../workers/workers.module.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule, EngineSupportModule, CamundaModule, EventsModule, SyncModule, WorkersModule],
  controllers: [HealthController],
})
export class HealthModule {}
