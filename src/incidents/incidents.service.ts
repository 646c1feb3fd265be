import { Injectable } from '@nestjs/common';
import { IncidentClient } from '../camunda/clients/incident.client.js';
import type { EngineIncident } from '../camunda/camunda.models.js';
import type { IncidentQueryDto } from './dto/incident-commands.dto.js';

/** Incidents and the retries that resolve them, straight from and to the engine. */
@Injectable()
export class IncidentsService {
  constructor(private readonly incidentClient: IncidentClient) {}

  list(query: IncidentQueryDto): Promise<EngineIncident[]> {
    return this.incidentClient.listIncidents({
      processInstanceId: query.processInstanceId,
      incidentType: query.incidentType,
      firstResult: query.offset ?? 0,
      maxResults: query.limit ?? 100,
    });
  }

  annotate(id: string, annotation: string | null): Promise<void> {
    return this.incidentClient.annotateIncident(id, annotation);
  }

  setJobRetries(jobId: string, retries: number): Promise<void> {
    return this.incidentClient.setJobRetries(jobId, retries);
  }

  setExternalTaskRetries(externalTaskId: string, retries: number): Promise<void> {
    return this.incidentClient.setExternalTaskRetries(externalTaskId, retries);
  }
}
