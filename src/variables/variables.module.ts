import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { ProcessInstancesModule } from '../process-instances/process-instances.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ProcessInstanceVariablesController, TaskVariablesController } from './variables.controller.js';
import { VariablesService } from './variables.service.js';

@Module({
  imports: [CamundaModule, ProcessInstancesModule, TasksModule],
  controllers: [ProcessInstanceVariablesController, TaskVariablesController],
  providers: [VariablesService],
})
export class VariablesModule {}
