import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { EngineIncident } from '../camunda/camunda.models.js';
import { IncidentRecord } from '../mirror/incident.entity.js';
import { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { restored } from '../mirror/unstorable-text.js';
import { incidentListQuery, type IncidentFilter } from './incident-list-query.js';

type IncidentWithInstance = IncidentRecord & { instance: ProcessInstanceRecord };

/** Reads of incidents from the mirror, in the engine's shape; sync/ writes them. */
@Injectable()
export class MirroredIncidents {
  constructor(
    @InjectRepository(IncidentRecord) private readonly incidents: Repository<IncidentRecord>,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  async list(filter: IncidentFilter): Promise<EngineIncident[]> {
    if (filter.tenantIds?.length === 0) return [];
    const builder = incidentListQuery(this.incidents.createQueryBuilder('incident'), filter);
    return ((await builder.getMany()) as IncidentWithInstance[]).map(engineIncident);
  }

  /** Whether the mirror has seen the instance at all (its incidents may be none). */
  async knowsInstance(processInstanceId: string): Promise<boolean> {
    return this.instances.existsBy({ id: processInstanceId });
  }
}

function engineIncident(row: IncidentWithInstance): EngineIncident {
  const incident = restored(row);
  const instance = restored(row.instance);
  return {
    id: incident.id,
    type: incident.type,
    message: incident.message,
    processInstanceId: incident.processInstanceId,
    processDefinitionId: instance.definitionId,
    activityId: incident.activityId,
    configuration: incident.configuration,
    annotation: incident.annotation,
    tenantId: instance.tenantId,
    createdAt: incident.createdAt,
  };
}
