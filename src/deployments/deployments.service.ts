import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { unlessUnknown } from '../camunda/camunda.errors.js';
import { DeploymentClient } from '../camunda/clients/deployment.client.js';
import type { DeploymentResource, EngineDeployment, EngineDeploymentSummary } from '../camunda/camunda.models.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';
import { OPEN_INSTANCE_STATES } from '../mirror/open-states.js';
import { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';
import type { CreateDeploymentDto } from './dto/create-deployment.dto.js';
import { GATEWAY_DEPLOYMENT_SOURCE } from './bpmn-deployer.js';
import type { AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';

const DEPLOYABLE = /\.(bpmn|bpmn20\.xml|dmn|dmn11\.xml|form)$/i;

@Injectable()
export class DeploymentsService {
  constructor(
    private readonly deploymentClient: DeploymentClient,
    private readonly refresher: InstanceRefresher,
    @InjectRepository(ProcessDefinitionRecord) private readonly definitions: Repository<ProcessDefinitionRecord>,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  async create(scope: AccessScope, input: CreateDeploymentDto, resources: DeploymentResource[]): Promise<EngineDeployment | AcceptedWrite> {
    if (resources.length === 0) {
      throw new GatewayError(GatewayErrorCode.ValidationFailed, 'No resources uploaded', [
        { field: 'files', messages: ['upload at least one .bpmn, .dmn or .form file'] },
      ]);
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
      tenantId: this.deploymentTenant(scope, input.tenantId),
      deployChangedOnly: input.deployChangedOnly ?? false,
      resources,
    });
    return afterEngineAccepted('deploy', { ...deployment }, async () => {
      await this.refresher.refreshDefinitions();
      return deployment;
    });
  }

  list(scope: AccessScope, query: { name?: string; tenantId?: string; offset?: number; limit?: number }): Promise<EngineDeploymentSummary[]> {
    const reachable = scope.engineWide ? undefined : scope.tenantsWhere(Role.Operator);
    const tenantIds = query.tenantId === undefined ? reachable : [query.tenantId].filter((tenantId) => !reachable || reachable.includes(tenantId));
    return this.deploymentClient.listDeployments({ name: query.name, tenantIds, firstResult: query.offset ?? 0, maxResults: query.limit ?? 50 });
  }

  /** The deployment if the caller holds `role` in its workspace (operators read them, admins delete them). */
  async get(scope: AccessScope, id: string, role = Role.Operator): Promise<EngineDeploymentSummary> {
    const deployment = await unlessUnknown(this.deploymentClient.getDeployment(id));
    // Unknown and out of reach read the same, or the answer tells which deployments exist.
    if (!deployment || !scope.reaches(deployment.tenantId, role)) {
      throw new GatewayError(GatewayErrorCode.ResourceNotFound, `Deployment '${id}' does not exist`);
    }
    return deployment;
  }

  async resources(scope: AccessScope, id: string): Promise<{ id: string; name: string }[]> {
    await this.get(scope, id);
    return this.deploymentClient.listDeploymentResources(id);
  }

  /** After a cascading delete, the instances it removed are refreshed: the mirror marks them removed from the engine. */
  async delete(scope: AccessScope, id: string, cascade: boolean): Promise<AcceptedWrite | undefined> {
    await this.get(scope, id, Role.Admin);
    const definitionIds = (await this.definitions.findBy({ deploymentId: id })).map((definition) => definition.id);
    const affected = definitionIds.length ? await this.instances.findBy({ definitionId: In(definitionIds), state: In([...OPEN_INSTANCE_STATES]) }) : [];
    await this.deploymentClient.deleteDeployment(id, cascade);
    return afterEngineAccepted('delete deployment', { id }, async () => {
      await this.refresher.refreshDefinitions();
      await this.refresher.refreshInstances(
        affected.map((instance) => instance.id),
        { actor: scope.actor },
      );
      return undefined;
    });
  }

  /** Deployments go into the caller's workspace tenant: the one named (it must be theirs) or the one in scope. */
  private deploymentTenant(scope: AccessScope, requested: string | undefined): string | undefined {
    if (requested === undefined) return scope.targetTenant(Role.Admin);
    if (!scope.reaches(requested, Role.Admin)) throw new GatewayError(GatewayErrorCode.WorkspaceNotAllowed, `You may not deploy into tenant "${requested}"`);
    return requested;
  }
}
