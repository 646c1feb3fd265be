import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { ProcessDefinitionsModule } from '../process-definitions/process-definitions.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { ProcessInstancesController } from './process-instances.controller.js';
import { InstanceAccess } from './instance-access.js';
import { ProcessInstancesService } from './process-instances.service.js';

@Module({
  imports: [CamundaModule, MirrorModule, SyncModule, ProcessDefinitionsModule],
  controllers: [ProcessInstancesController],
  providers: [ProcessInstancesService, InstanceAccess],
  exports: [InstanceAccess],
})
export class ProcessInstancesModule {}
