import { Injectable } from '@nestjs/common';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { IncidentClient } from '../camunda/clients/incident.client.js';
import type { EngineIncident } from '../camunda/camunda.models.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import type { IncidentQueryDto } from './dto/incident-commands.dto.js';

/** Incidents and the retries that resolve them, straight from and to the engine. */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidentClient: IncidentClient,
    private readonly historyClient: HistoryClient,
  ) {}

  list(query: IncidentQueryDto): Promise<EngineIncident[]> {
    return this.incidentClient.listIncidents({
      processInstanceId: query.processInstanceId,
      incidentType: query.incidentType,
      firstResult: query.offset ?? 0,
      maxResults: query.limit ?? 100,
    });
  }

  /** An empty list means "no incidents", so an instance the engine does not know is a 404, not []. */
  async ofInstance(processInstanceId: string, query: IncidentQueryDto): Promise<EngineIncident[]> {
    if (!(await this.historyClient.findHistoricProcessInstance(processInstanceId))) {
      throw new GatewayError(GatewayErrorCode.ResourceNotFound, `Process instance '${processInstanceId}' does not exist`);
    }
    return this.list({ ...query, processInstanceId });
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
