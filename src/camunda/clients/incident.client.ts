import { Injectable } from '@nestjs/common';
import type { EngineIncident, WorkOwner } from '../camunda.models.js';
import type { IncidentDto, TenantOwnedDto } from '../engine-dto.js';
import { fromEngineDate } from '../engine-date.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath } from '../engine-path.js';

/** Incidents and the retries that resolve them. */
@Injectable()
export class IncidentClient {
  constructor(private readonly engine: EngineHttp) {}

  /** `tenantIds` limits the list to those tenants (an empty list to none). */
  async listIncidents(query: {
    incidentId?: string;
    processInstanceId?: string;
    incidentType?: string;
    tenantIds?: string[];
    firstResult: number;
    maxResults: number;
  }): Promise<EngineIncident[]> {
    const { tenantIds, ...filters } = query;
    if (tenantIds?.length === 0) return [];
    const params = { ...filters, tenantIdIn: tenantIds?.join(','), sortBy: 'incidentTimestamp', sortOrder: 'desc' };
    const dtos = await this.engine.request<IncidentDto[]>('list incidents', { method: 'GET', url: enginePath`/incident`, params });
    return dtos.map((dto) => ({
      id: dto.id,
      type: dto.incidentType,
      message: dto.incidentMessage,
      processInstanceId: dto.processInstanceId,
      processDefinitionId: dto.processDefinitionId,
      activityId: dto.activityId,
      configuration: dto.configuration,
      annotation: dto.annotation,
      tenantId: dto.tenantId,
      createdAt: fromEngineDate(dto.incidentTimestamp),
    }));
  }

  /** Null clears the annotation. */
  async annotateIncident(id: string, annotation: string | null): Promise<void> {
    const url = enginePath`/incident/${id}/annotation`;
    await this.engine.request('annotate incident', annotation === null ? { method: 'DELETE', url } : { method: 'PUT', url, data: { annotation } });
  }

  /** Tenant and instance of a job; the engine's 404 if there is no such job. */
  async getJobOwner(jobId: string): Promise<WorkOwner> {
    return ownerOf(await this.engine.request<TenantOwnedDto>('read job', { method: 'GET', url: enginePath`/job/${jobId}` }));
  }

  async getExternalTaskOwner(externalTaskId: string): Promise<WorkOwner> {
    return ownerOf(await this.engine.request<TenantOwnedDto>('read external task', { method: 'GET', url: enginePath`/external-task/${externalTaskId}` }));
  }

  /** Retries above zero resolve the job's incident and let the job executor run it again. */
  async setJobRetries(jobId: string, retries: number): Promise<void> {
    await this.engine.request('set job retries', { method: 'PUT', url: enginePath`/job/${jobId}/retries`, data: { retries } });
  }

  async setExternalTaskRetries(externalTaskId: string, retries: number): Promise<void> {
    await this.engine.request('set external task retries', { method: 'PUT', url: enginePath`/external-task/${externalTaskId}/retries`, data: { retries } });
  }
}

function ownerOf(dto: TenantOwnedDto): WorkOwner {
  return { tenantId: dto.tenantId, processInstanceId: dto.processInstanceId ?? null };
}
