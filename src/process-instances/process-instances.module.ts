import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { ProcessInstancesController } from './process-instances.controller.js';
import { ProcessInstancesService } from './process-instances.service.js';

@Module({
  imports: [CamundaModule, MirrorModule, SyncModule],
  controllers: [ProcessInstancesController],
  providers: [ProcessInstancesService],
})
export class ProcessInstancesModule {}
