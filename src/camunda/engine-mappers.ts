// Engine JSON to gateway models, for mappings more than one client needs.
import type { EngineProcessDefinition } from './camunda.models.js';
import type { ProcessDefinitionDto } from './engine-dto.js';

export function toProcessDefinition(dto: ProcessDefinitionDto): EngineProcessDefinition {
  return {
    id: dto.id,
    key: dto.key,
    name: dto.name,
    version: dto.version,
    versionTag: dto.versionTag,
    deploymentId: dto.deploymentId,
    resourceName: dto.resource,
    suspended: dto.suspended,
    tenantId: dto.tenantId,
  };
}
