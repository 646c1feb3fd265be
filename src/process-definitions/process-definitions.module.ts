import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { ProcessDefinitionsController } from './process-definitions.controller.js';
import { DefinitionAccess } from './definition-access.js';
import { ProcessDefinitionsService } from './process-definitions.service.js';

@Module({
  imports: [CamundaModule, MirrorModule, SyncModule],
  controllers: [ProcessDefinitionsController],
  providers: [ProcessDefinitionsService, DefinitionAccess],
  exports: [DefinitionAccess],
})
export class ProcessDefinitionsModule {}
