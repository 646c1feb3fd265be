import { Injectable } from '@nestjs/common';
import { CamundaClient } from '../camunda/camunda-client.js';
import type { EngineIncident } from '../camunda/camunda.models.js';
import type { IncidentQueryDto } from './dto/incident-commands.dto.js';

/** Incidents and the retries that resolve them, straight from and to the engine. */
@Injectable()
export class IncidentsService {
  constructor(private readonly camunda: CamundaClient) {}

  list(query: IncidentQueryDto): Promise<EngineIncident[]> {
    return this.camunda.listIncidents({
      processInstanceId: query.processInstanceId,
      incidentType: query.incidentType,
      firstResult: query.offset ?? 0,
      maxResults: query.limit ?? 100,
    });
  }

  annotate(id: string, annotation: string | null): Promise<void> {
    return this.camunda.annotateIncident(id, annotation);
  }

  setJobRetries(jobId: string, retries: number): Promise<void> {
    return this.camunda.setJobRetries(jobId, retries);
  }

  setExternalTaskRetries(externalTaskId: string, retries: number): Promise<void> {
    return this.camunda.setExternalTaskRetries(externalTaskId, retries);
  }
}
