import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { EngineIncident } from '../camunda/camunda.models.js';
import { IncidentRecord, type IncidentState } from '../mirror/incident.entity.js';
import { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { restored } from '../mirror/unstorable-text.js';
import { whereEquals } from '../pagination/where-equals.js';

export interface IncidentFilter {
  processInstanceId?: string;
  incidentType?: string;
  state: IncidentState;
  /** Only incidents of instances of these tenants; undefined: of every tenant and of none (engine-wide). */
  tenantIds?: string[];
  offset: number;
  limit: number;
}

type IncidentWithInstance = IncidentRecord & { instance: ProcessInstanceRecord };

/**
 * Reads of incidents from the mirror, in the engine's shape, newest first as the engine lists them. The mirror
 * keeps an incident's instance, not its tenant and definition: those are the instance's.
 */
@Injectable()
export class MirroredIncidents {
  constructor(
    @InjectRepository(IncidentRecord) private readonly incidents: Repository<IncidentRecord>,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  async list(filter: IncidentFilter): Promise<EngineIncident[]> {
    if (filter.tenantIds?.length === 0) return [];
    const builder = this.incidents
      .createQueryBuilder('incident')
      .innerJoinAndMapOne('incident.instance', ProcessInstanceRecord, 'instance', 'instance.id = incident.process_instance_id')
      .where('incident.state = :state', { state: filter.state });
    whereEquals(builder, 'incident', { process_instance_id: filter.processInstanceId, type: filter.incidentType });
    if (filter.tenantIds) builder.andWhere('instance.tenant_id = ANY(CAST(:tenantIds AS text[]))', { tenantIds: filter.tenantIds });
    builder.orderBy('incident.created_at', 'DESC').addOrderBy('incident.id', 'DESC').offset(filter.offset).limit(filter.limit);
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
