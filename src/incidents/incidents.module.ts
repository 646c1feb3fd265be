import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { ProcessInstancesModule } from '../process-instances/process-instances.module.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsService } from './incidents.service.js';
import { MirroredIncidents } from './mirrored-incidents.js';

@Module({
  imports: [CamundaModule, MirrorModule, SyncModule, ProcessInstancesModule],
  controllers: [IncidentsController],
  providers: [IncidentsService, MirroredIncidents],
})
export class IncidentsModule {}
