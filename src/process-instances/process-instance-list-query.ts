import type { SelectQueryBuilder } from 'typeorm';
import type { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import type { SortKey } from '../pagination/keyset-page.js';
import { whereEquals } from '../pagination/where-equals.js';
import type { ProcessInstanceQueryDto } from './dto/process-instance-query.dto.js';

export const INSTANCES_BY_START: SortKey<ProcessInstanceRecord> = {
  name: 'started',
  expression: 'instance.started_at',
  sqlType: 'timestamptz',
  valueOf: (instance) => instance.startedAt.toISOString(),
};

type InstanceFilters = Pick<ProcessInstanceQueryDto, 'definitionKey' | 'businessKey' | 'state' | 'tenantId' | 'startedAfter' | 'startedBefore'>;

/** The filters of GET /process-instances, as SQL on the mirror. */
export function instanceListQuery(builder: SelectQueryBuilder<ProcessInstanceRecord>, query: InstanceFilters): SelectQueryBuilder<ProcessInstanceRecord> {
  whereEquals(builder, 'instance', { definition_key: query.definitionKey, business_key: query.businessKey, state: query.state, tenant_id: query.tenantId });
  if (query.startedAfter) builder.andWhere('instance.started_at > :startedAfter', { startedAfter: query.startedAfter });
  if (query.startedBefore) builder.andWhere('instance.started_at < :startedBefore', { startedBefore: query.startedBefore });
  return builder;
}
