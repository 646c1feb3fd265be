import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type SelectQueryBuilder } from 'typeorm';
import type { AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';
import { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

const ANY_ROLE = [Role.Requester, Role.Approver, Role.Operator];

/** Definitions of the caller's workspaces' tenants, and shared ones deployed without a tenant, are visible. */
@Injectable()
export class DefinitionAccess {
  constructor(@InjectRepository(ProcessDefinitionRecord) private readonly definitions: Repository<ProcessDefinitionRecord>) {}

  canSee(scope: AccessScope, definition: Pick<ProcessDefinitionRecord, 'tenantId'>): boolean {
    return definition.tenantId === null || scope.reaches(definition.tenantId, ...ANY_ROLE);
  }

  restrict(builder: SelectQueryBuilder<ProcessDefinitionRecord>, scope: AccessScope): void {
    if (scope.engineWide) return;
    builder.andWhere('(definition.tenant_id IS NULL OR definition.tenant_id = ANY(CAST(:visibleTenants AS text[])))', {
      visibleTenants: scope.tenantsWhere(...ANY_ROLE),
    });
  }

  async visible(scope: AccessScope, id: string): Promise<ProcessDefinitionRecord> {
    const definition = await this.definitions.findOneBy({ id });
    if (!definition || !this.canSee(scope, definition)) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `Process definition '${id}' does not exist`);
    return definition;
  }

  async tenantOf(scope: AccessScope, id: string): Promise<string | null> {
    return (await this.visible(scope, id)).tenantId;
  }
}
