import type { SelectQueryBuilder } from 'typeorm';
import type { IncidentRecord, IncidentState } from '../mirror/incident.entity.js';
import { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
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

/**
 * The filters of GET /incidents as SQL on the mirror, newest first as the engine lists them. An incident's tenant
 * and definition are its instance's, so the instance comes along as `incident.instance`.
 */
export function incidentListQuery(builder: SelectQueryBuilder<IncidentRecord>, filter: IncidentFilter): SelectQueryBuilder<IncidentRecord> {
  builder
    .innerJoinAndMapOne('incident.instance', ProcessInstanceRecord, 'instance', 'instance.id = incident.process_instance_id')
    .where('incident.state = :state', { state: filter.state });
  whereEquals(builder, 'incident', { process_instance_id: filter.processInstanceId, type: filter.incidentType });
  if (filter.tenantIds) builder.andWhere('instance.tenant_id = ANY(CAST(:tenantIds AS text[]))', { tenantIds: filter.tenantIds });
  return builder.orderBy('incident.created_at', 'DESC').addOrderBy('incident.id', 'DESC').offset(filter.offset).limit(filter.limit);
}
