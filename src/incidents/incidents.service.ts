import { Injectable } from '@nestjs/common';
import { unlessUnknown } from '../camunda/camunda.errors.js';
import { IncidentClient } from '../camunda/clients/incident.client.js';
import type { EngineIncident } from '../camunda/camunda.models.js';
import type { AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';
import { InstanceAccess } from '../process-instances/instance-access.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import type { IncidentQueryDto } from './dto/incident-commands.dto.js';

/** Incidents and the retries that resolve them, straight from and to the engine, within the operator's tenants. */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidentClient: IncidentClient,
    private readonly instances: InstanceAccess,
  ) {}

  list(scope: AccessScope, query: IncidentQueryDto): Promise<EngineIncident[]> {
    return this.incidentClient.listIncidents({
      processInstanceId: query.processInstanceId,
      incidentType: query.incidentType,
      tenantIds: scope.engineWide ? undefined : scope.tenantsWhere(Role.Operator),
      firstResult: query.offset ?? 0,
      maxResults: query.limit ?? 100,
    });
  }

  /** An empty list means "no incidents", so an instance out of reach is a 404, not []. */
  async ofInstance(scope: AccessScope, processInstanceId: string, query: IncidentQueryDto): Promise<EngineIncident[]> {
    await this.instances.manageable(scope, processInstanceId);
    return this.list(scope, { ...query, processInstanceId });
  }

  async annotate(scope: AccessScope, id: string, annotation: string | null): Promise<void> {
    const [incident] = await this.incidentClient.listIncidents({ incidentId: id, firstResult: 0, maxResults: 1 });
    this.checkReach(scope, incident ? incident.tenantId : undefined, `Incident '${id}'`);
    return this.incidentClient.annotateIncident(id, annotation);
  }

  async setJobRetries(scope: AccessScope, jobId: string, retries: number): Promise<void> {
    this.checkReach(scope, await unlessUnknown(this.incidentClient.getJobTenant(jobId)), `Job '${jobId}'`);
    return this.incidentClient.setJobRetries(jobId, retries);
  }

  async setExternalTaskRetries(scope: AccessScope, externalTaskId: string, retries: number): Promise<void> {
    this.checkReach(scope, await unlessUnknown(this.incidentClient.getExternalTaskTenant(externalTaskId)), `External task '${externalTaskId}'`);
    return this.incidentClient.setExternalTaskRetries(externalTaskId, retries);
  }

  /** `undefined`: the engine has no such thing; out of reach reads the same, or the answer tells which ids exist. */
  private checkReach(scope: AccessScope, tenantId: string | null | undefined, what: string): void {
    if (tenantId === undefined || !scope.reaches(tenantId, Role.Operator)) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `${what} does not exist`);
  }
}
