import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { ProcessInstancesModule } from '../process-instances/process-instances.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ProcessInstanceVariablesController, TaskVariablesController } from './variables.controller.js';
import { MirroredVariables } from './mirrored-variables.js';
import { VariablesService } from './variables.service.js';

@Module({
  imports: [CamundaModule, MirrorModule, SyncModule, ProcessInstancesModule, TasksModule],
  controllers: [ProcessInstanceVariablesController, TaskVariablesController],
  providers: [VariablesService, MirroredVariables],
})
export class VariablesModule {}
