import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { BpmnDeployer } from './bpmn-deployer.js';
import { DeploymentsController } from './deployments.controller.js';
import { DeploymentsService } from './deployments.service.js';

@Module({
  imports: [CamundaModule, MirrorModule, SyncModule],
  controllers: [DeploymentsController],
  providers: [BpmnDeployer, DeploymentsService],
  exports: [BpmnDeployer],
})
export class DeploymentsModule {}
