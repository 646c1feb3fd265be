import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { ProcessInstanceVariablesController, TaskVariablesController } from './variables.controller.js';
import { VariablesService } from './variables.service.js';

@Module({
  imports: [CamundaModule],
  controllers: [ProcessInstanceVariablesController, TaskVariablesController],
  providers: [VariablesService],
})
export class VariablesModule {}
