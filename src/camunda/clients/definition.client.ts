import { Injectable } from '@nestjs/common';
import type { DefinitionStatistics, EngineProcessDefinition } from '../camunda.models.js';
import type { ProcessDefinitionStatisticsDto, ProcessDefinitionDto } from '../engine-dto.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath } from '../engine-path.js';
import { toProcessDefinition } from '../engine-mappers.js';

/** Process definitions: list, BPMN XML, suspension, statistics. */
@Injectable()
export class DefinitionClient {
  constructor(private readonly engine: EngineHttp) {}

  async listProcessDefinitions(query: { keys?: string[]; latestVersion?: boolean } = {}): Promise<EngineProcessDefinition[]> {
    const params = { keysIn: query.keys?.join(','), latestVersion: query.latestVersion, sortBy: 'version', sortOrder: 'asc' };
    const dtos = await this.engine.request<ProcessDefinitionDto[]>('list process definitions', { method: 'GET', url: enginePath`/process-definition`, params });
    return dtos.map(toProcessDefinition);
  }

  async getProcessDefinitionXml(id: string): Promise<string> {
    const dto = await this.engine.request<{ bpmn20Xml: string }>('read BPMN XML', { method: 'GET', url: enginePath`/process-definition/${id}/xml` });
    return dto.bpmn20Xml;
  }

  async setProcessDefinitionSuspended(id: string, suspended: boolean, includeInstances: boolean): Promise<void> {
    await this.engine.request(suspended ? 'suspend process definition' : 'activate process definition', {
      method: 'PUT',
      url: enginePath`/process-definition/${id}/suspended`,
      data: { suspended, includeProcessInstances: includeInstances },
    });
  }

  /** Running instances, failed jobs and open incidents of one definition version. */
  async getProcessDefinitionStatistics(id: string): Promise<DefinitionStatistics> {
    const all = await this.engine.request<ProcessDefinitionStatisticsDto[]>('read definition statistics', {
      method: 'GET',
      url: enginePath`/process-definition/statistics`,
      params: { failedJobs: true, incidents: true },
    });
    const own = all.find((entry) => entry.id === id);
    const incidentsByType = Object.fromEntries((own?.incidents ?? []).map((incident) => [incident.incidentType, incident.incidentCount]));
    return {
      runningInstances: own?.instances ?? 0,
      failedJobs: own?.failedJobs ?? 0,
      openIncidents: Object.values(incidentsByType).reduce((sum, count) => sum + count, 0),
      incidentsByType,
    };
  }
}
