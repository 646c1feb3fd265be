import { Injectable } from '@nestjs/common';
import type { DeploymentRequest, EngineDeploymentSummary, EngineDeployment } from '../camunda.models.js';
import type { DeploymentDto, DeploymentResourceDto, DeploymentWithDefinitionsDto } from '../engine-dto.js';
import { fromEngineDate } from '../engine-date.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath } from '../engine-path.js';
import { toProcessDefinition } from '../engine-mappers.js';

/** Deployments: create (multipart), list, read, delete. */
@Injectable()
export class DeploymentClient {
  constructor(private readonly engine: EngineHttp) {}

  async deploy(input: DeploymentRequest): Promise<EngineDeployment> {
    const form = new FormData();
    form.append('deployment-name', input.name);
    form.append('deployment-source', input.source);
    form.append('deploy-changed-only', String(input.deployChangedOnly));
    if (input.tenantId) form.append('tenant-id', input.tenantId);
    for (const resource of input.resources) {
      form.append(resource.fileName, new Blob([new Uint8Array(resource.content)]), resource.fileName);
    }
    const dto = await this.engine.request<DeploymentWithDefinitionsDto>('create deployment', {
      method: 'POST',
      url: enginePath`/deployment/create`,
      data: form,
    });
    return {
      ...toDeploymentSummary(dto),
      processDefinitions: Object.values(dto.deployedProcessDefinitions ?? {}).map(toProcessDefinition),
      decisionDefinitionKeys: Object.values(dto.deployedDecisionDefinitions ?? {}).map((decision) => decision.key),
    };
  }

  /** `tenantIds` limits the list to those tenants (an empty list to none). */
  async listDeployments(query: { name?: string; tenantIds?: string[]; firstResult: number; maxResults: number }): Promise<EngineDeploymentSummary[]> {
    if (query.tenantIds?.length === 0) return [];
    const params = {
      name: query.name,
      tenantIdIn: query.tenantIds?.join(','),
      sortBy: 'deploymentTime',
      sortOrder: 'desc',
      firstResult: query.firstResult,
      maxResults: query.maxResults,
    };
    const dtos = await this.engine.request<DeploymentDto[]>('list deployments', { method: 'GET', url: enginePath`/deployment`, params });
    return dtos.map(toDeploymentSummary);
  }

  async getDeployment(id: string): Promise<EngineDeploymentSummary> {
    return toDeploymentSummary(await this.engine.request<DeploymentDto>('read deployment', { method: 'GET', url: enginePath`/deployment/${id}` }));
  }

  async listDeploymentResources(id: string): Promise<{ id: string; name: string }[]> {
    const dtos = await this.engine.request<DeploymentResourceDto[]>('list deployment resources', {
      method: 'GET',
      url: enginePath`/deployment/${id}/resources`,
    });
    return dtos.map(({ id: resourceId, name }) => ({ id: resourceId, name }));
  }

  /** Without cascade the engine refuses (409) while instances of its definitions exist. */
  async deleteDeployment(id: string, cascade: boolean): Promise<void> {
    await this.engine.request('delete deployment', { method: 'DELETE', url: enginePath`/deployment/${id}`, params: { cascade } });
  }
}

function toDeploymentSummary(dto: DeploymentDto): EngineDeploymentSummary {
  return { id: dto.id, name: dto.name, source: dto.source, tenantId: dto.tenantId, deployedAt: fromEngineDate(dto.deploymentTime) };
}
