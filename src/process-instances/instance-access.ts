import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import type { AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';
import { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';

type InstanceOwnership = Pick<ProcessInstanceRecord, 'tenantId' | 'startedBy'>;

/**
 * Who may see and manage a process instance: operators those of their workspaces, requesters the ones they
 * started. An instance out of reach is not found, whether it exists or not.
 */
@Injectable()
export class InstanceAccess {
  constructor(
    private readonly refresher: InstanceRefresher,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  canSee(scope: AccessScope, instance: InstanceOwnership): boolean {
    return scope.reaches(instance.tenantId, Role.Operator) || (scope.reaches(instance.tenantId, Role.Requester) && instance.startedBy === scope.camundaUserId);
  }

  /** Limits a mirror query to the instances the scope may see. */
  restrict(builder: SelectQueryBuilder<ProcessInstanceRecord>, scope: AccessScope): void {
    if (scope.engineWide) return;
    builder.andWhere(
      '(instance.tenant_id = ANY(CAST(:operatorTenants AS text[])) OR (instance.tenant_id = ANY(CAST(:requesterTenants AS text[])) AND instance.started_by = :me))',
      { operatorTenants: scope.tenantsWhere(Role.Operator), requesterTenants: scope.tenantsWhere(Role.Requester), me: scope.camundaUserId },
    );
  }

  /** The mirrored instance if the scope may see it; one the mirror has not seen yet is fetched once. */
  async readable(scope: AccessScope, id: string): Promise<ProcessInstanceRecord> {
    let record = await this.instances.findOneBy({ id });
    if (!record) {
      await this.refresher.refreshInstance(id);
      record = await this.instances.findOneBy({ id });
    }
    if (!record || !this.canSee(scope, record)) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `Process instance '${id}' does not exist`);
    return record;
  }

  /** As readable, and the caller must be an operator there. */
  async manageable(scope: AccessScope, id: string): Promise<ProcessInstanceRecord> {
    const record = await this.readable(scope, id);
    if (!scope.reaches(record.tenantId, Role.Operator))
      throw new GatewayError(GatewayErrorCode.AccessDenied, 'Managing an instance needs the operator role in its workspace');
    return record;
  }
}
