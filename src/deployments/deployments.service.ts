import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DeploymentClient } from '../camunda/clients/deployment.client.js';
import type { DeploymentResource, EngineDeployment, EngineDeploymentSummary } from '../camunda/camunda.models.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';
import { InstanceState, ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { SyncService } from '../sync/sync.service.js';
import type { CreateDeploymentDto } from './dto/create-deployment.dto.js';
import { GATEWAY_DEPLOYMENT_SOURCE } from './bpmn-deployer.js';

const DEPLOYABLE = /\.(bpmn|bpmn20\.xml|dmn|dmn11\.xml|form)$/i;

@Injectable()
export class DeploymentsService {
  constructor(
    private readonly deploymentClient: DeploymentClient,
    private readonly sync: SyncService,
    @InjectRepository(ProcessDefinitionRecord) private readonly definitions: Repository<ProcessDefinitionRecord>,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  async create(input: CreateDeploymentDto, resources: DeploymentResource[]): Promise<EngineDeployment | AcceptedWrite> {
    if (resources.length === 0) {
      throw new GatewayError(GatewayErrorCode.ValidationFailed, 'No resources uploaded', [{ field: 'files', messages: ['upload at least one .bpmn, .dmn or .form file'] }]);
    }
    const refused = resources.filter((resource) => !DEPLOYABLE.test(resource.fileName));
    if (refused.length > 0) {
      throw new GatewayError(
        GatewayErrorCode.ValidationFailed,
        `Not a deployable resource: ${refused.map((resource) => resource.fileName).join(', ')}`,
        refused.map((resource) => ({ field: resource.fileName, messages: ['only .bpmn, .bpmn20.xml, .dmn, .dmn11.xml and .form files can be deployed'] })),
      );
    }
    const deployment = await this.deploymentClient.deploy({
      name: input.name,
      source: GATEWAY_DEPLOYMENT_SOURCE,
      tenantId: input.tenantId,
      deployChangedOnly: input.deployChangedOnly ?? false,
      resources,
    });
    return afterEngineAccepted('deploy', { ...deployment }, async () => {
      await this.sync.refreshDefinitions();
      return deployment;
    });
  }

  list(query: { name?: string; tenantId?: string; offset?: number; limit?: number }): Promise<EngineDeploymentSummary[]> {
    return this.deploymentClient.listDeployments({ name: query.name, tenantId: query.tenantId, firstResult: query.offset ?? 0, maxResults: query.limit ?? 50 });
  }

  get(id: string): Promise<EngineDeploymentSummary> {
    return this.deploymentClient.getDeployment(id);
  }

  resources(id: string): Promise<{ id: string; name: string }[]> {
    return this.deploymentClient.listDeploymentResources(id);
  }

  /** After a cascading delete, the instances it removed are refreshed: the mirror marks them removed from the engine. */
  async delete(id: string, cascade: boolean): Promise<AcceptedWrite | undefined> {
    const definitionIds = (await this.definitions.findBy({ deploymentId: id })).map((definition) => definition.id);
    const affected = definitionIds.length
      ? await this.instances.findBy({ definitionId: In(definitionIds), state: In([InstanceState.Active, InstanceState.Suspended]) })
      : [];
    await this.deploymentClient.deleteDeployment(id, cascade);
    return afterEngineAccepted('delete deployment', { id }, async () => {
      await this.sync.refreshDefinitions();
      await this.sync.refreshInstances(affected.map((instance) => instance.id));
      return undefined;
    });
  }
}
