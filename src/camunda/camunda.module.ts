import { Module } from '@nestjs/common';
import { DefinitionClient } from './clients/definition.client.js';
import { DeploymentClient } from './clients/deployment.client.js';
import { EngineInfoClient } from './clients/engine-info.client.js';
import { HistoryClient } from './clients/history.client.js';
import { IdentityClient } from './clients/identity.client.js';
import { IncidentClient } from './clients/incident.client.js';
import { InstanceClient } from './clients/instance.client.js';
import { TaskClient } from './clients/task.client.js';
import { VariableClient } from './clients/variable.client.js';
import { EngineHttp } from './engine-http.js';
import { EngineRequestMetrics } from './engine-request-metrics.js';
import { ExternalTaskTopics } from './external-task-topics.js';

/** The typed engine-rest clients, one per engine resource: the only code in the gateway that speaks Camunda's REST API. */
export const ENGINE_CLIENTS = [
  EngineInfoClient,
  DeploymentClient,
  DefinitionClient,
  InstanceClient,
  TaskClient,
  VariableClient,
  HistoryClient,
  IncidentClient,
  IdentityClient,
];

@Module({
  providers: [EngineHttp, EngineRequestMetrics, ...ENGINE_CLIENTS, ExternalTaskTopics],
  exports: [...ENGINE_CLIENTS, ExternalTaskTopics, EngineRequestMetrics],
})
export class CamundaModule {}
