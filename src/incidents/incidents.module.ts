import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { ProcessInstancesModule } from '../process-instances/process-instances.module.js';
import { IncidentsController } from './incidents.controller.js';
import { IncidentsService } from './incidents.service.js';

@Module({
  imports: [CamundaModule, ProcessInstancesModule],
  controllers: [IncidentsController],
  providers: [IncidentsService],
})
export class IncidentsModule {}
