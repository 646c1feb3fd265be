import { Injectable } from '@nestjs/common';
import { unlessUnknown } from '../camunda/camunda.errors.js';
import { IncidentClient } from '../camunda/clients/incident.client.js';
import type { EngineIncident } from '../camunda/camunda.models.js';
import type { AccessScope } from '../auth/access-scope.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { Role } from '../identity/caller.js';
import { IncidentState } from '../mirror/incident.entity.js';
import { InstanceAccess } from '../process-instances/instance-access.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';
import type { IncidentQueryDto } from './dto/incident-commands.dto.js';
import { MirroredIncidents } from './mirrored-incidents.js';

/**
 * Incidents and the retries that resolve them, within the operator's tenants. Lists come from the mirror, so an
 * ended instance's incidents stay listed (RESOLVED or DELETED); commands go to the engine and refresh the incident's
 * instance before answering, so the next list shows them.
 */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidentClient: IncidentClient,
    private readonly mirrored: MirroredIncidents,
    private readonly instances: InstanceAccess,
    private readonly refresher: InstanceRefresher,
  ) {}

  async list(scope: AccessScope, query: IncidentQueryDto): Promise<EngineIncident[]> {
    const state = query.state ?? IncidentState.Open;
    const { processInstanceId, incidentType } = query;
    const tenantIds = scope.engineWide ? undefined : scope.tenantsWhere(Role.Operator);
    const [offset, limit] = [query.offset ?? 0, query.limit ?? 100];
    // An instance the mirror has not seen yet (just started elsewhere): its open incidents are the engine's, ended ones it cannot have yet.
    if (processInstanceId && !(await this.mirrored.knowsInstance(processInstanceId))) {
      if (state !== IncidentState.Open) return [];
      return this.incidentClient.listIncidents({ processInstanceId, incidentType, tenantIds, firstResult: offset, maxResults: limit });
    }
    return this.mirrored.list({ processInstanceId, incidentType, tenantIds, state, offset, limit });
  }

  /** An empty list means "no incidents", so an instance out of reach is a 404, not []. */
  async ofInstance(scope: AccessScope, processInstanceId: string, query: IncidentQueryDto): Promise<EngineIncident[]> {
    // manageable() mirrors an instance the mirror has not seen yet (its incidents with it) from the engine, once.
    await this.instances.manageable(scope, processInstanceId);
    return this.list(scope, { ...query, processInstanceId });
  }

  async annotate(scope: AccessScope, id: string, annotation: string | null): Promise<AcceptedWrite | undefined> {
    const [incident] = await this.incidentClient.listIncidents({ incidentId: id, firstResult: 0, maxResults: 1 });
    this.checkReach(scope, incident ? incident.tenantId : undefined, `Incident '${id}'`);
    await this.incidentClient.annotateIncident(id, annotation);
    return this.refreshAfter('annotate incident', id, scope, incident?.processInstanceId ?? null);
  }

  async setJobRetries(scope: AccessScope, jobId: string, retries: number): Promise<AcceptedWrite | undefined> {
    const owner = await unlessUnknown(this.incidentClient.getJobOwner(jobId));
    this.checkReach(scope, owner?.tenantId, `Job '${jobId}'`);
    await this.incidentClient.setJobRetries(jobId, retries);
    return this.refreshAfter('set job retries', jobId, scope, owner?.processInstanceId ?? null);
  }

  async setExternalTaskRetries(scope: AccessScope, externalTaskId: string, retries: number): Promise<AcceptedWrite | undefined> {
    const owner = await unlessUnknown(this.incidentClient.getExternalTaskOwner(externalTaskId));
    this.checkReach(scope, owner?.tenantId, `External task '${externalTaskId}'`);
    await this.incidentClient.setExternalTaskRetries(externalTaskId, retries);
    return this.refreshAfter('set external task retries', externalTaskId, scope, owner?.processInstanceId ?? null);
  }

  /** The engine accepted the command: a mirror that cannot be refreshed now is a 202, never a failure. */
  private refreshAfter(command: string, id: string, scope: AccessScope, processInstanceId: string | null): Promise<AcceptedWrite | undefined> {
    return afterEngineAccepted(command, { id, processInstanceId }, async () => {
      if (processInstanceId) await this.refresher.refreshInstance(processInstanceId, { actor: scope.actor });
      return undefined;
    });
  }

  /** `undefined`: the engine has no such thing; out of reach reads the same, or the answer tells which ids exist. */
  private checkReach(scope: AccessScope, tenantId: string | null | undefined, what: string): void {
    if (tenantId === undefined || !scope.reaches(tenantId, Role.Operator)) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `${what} does not exist`);
  }
}
