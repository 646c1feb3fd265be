import { Module } from '@nestjs/common';
import { CamundaClient } from './camunda-client.js';
import { ExternalTaskRunner } from './external-task-runner.js';

@Module({
  providers: [CamundaClient, ExternalTaskRunner],
  exports: [CamundaClient, ExternalTaskRunner],
})
export class CamundaModule {}
