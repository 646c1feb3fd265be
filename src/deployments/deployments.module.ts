import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { BpmnDeployer } from './bpmn-deployer.js';

@Module({
  imports: [CamundaModule, SyncModule],
  providers: [BpmnDeployer],
})
export class DeploymentsModule {}
