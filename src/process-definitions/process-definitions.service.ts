import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DefinitionClient } from '../camunda/clients/definition.client.js';
import type { DefinitionStatistics } from '../camunda/camunda.models.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';
import { OPEN_INSTANCE_STATES } from '../mirror/open-states.js';
import { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';
import type { DefinitionQueryDto } from './dto/definition-query.dto.js';
import { ProcessDefinitionView } from './process-definition.view.js';
import { DefinitionAccess } from './definition-access.js';
import type { AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';

/** Definitions are read from the mirror; XML, statistics and suspension go to the engine. */
@Injectable()
export class ProcessDefinitionsService {
  constructor(
    private readonly definitionClient: DefinitionClient,
    private readonly refresher: InstanceRefresher,
    private readonly access: DefinitionAccess,
    @InjectRepository(ProcessDefinitionRecord) private readonly definitions: Repository<ProcessDefinitionRecord>,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  async list(scope: AccessScope, query: DefinitionQueryDto): Promise<ProcessDefinitionView[]> {
    const builder = this.definitions.createQueryBuilder('definition').orderBy('definition.key', 'ASC').addOrderBy('definition.version', 'DESC');
    this.access.restrict(builder, scope);
    if (query.key) builder.andWhere('definition.key = :key', { key: query.key });
    if (query.tenantId) builder.andWhere('definition.tenant_id = :tenantId', { tenantId: query.tenantId });
    if (query.suspended !== undefined) builder.andWhere('definition.suspended = :suspended', { suspended: query.suspended });
    if (query.latestOnly) {
      builder.andWhere(
        `definition.version = (SELECT max(latest.version) FROM process_definitions latest
          WHERE latest.key = definition.key AND latest.tenant_id IS NOT DISTINCT FROM definition.tenant_id)`,
      );
    }
    return (await builder.getMany()).map(ProcessDefinitionView.of);
  }

  async get(scope: AccessScope, id: string): Promise<ProcessDefinitionView> {
    return ProcessDefinitionView.of(await this.access.visible(scope, id));
  }

  /**
   * The latest version of a key in a tenant: the one named, or the caller's only workspace; a shared definition
   * (no tenant) stands in where the tenant has none of its own, as the engine resolves it.
   */
  async latest(scope: AccessScope, key: string, tenantId?: string): Promise<ProcessDefinitionView> {
    const tenant = tenantId ?? (scope.engineWide ? null : scope.targetTenant(Role.Requester, Role.Approver, Role.Operator));
    const builder = this.definitions
      .createQueryBuilder('definition')
      .where('definition.key = :key', { key })
      .andWhere('(definition.tenant_id IS NOT DISTINCT FROM :tenantId OR definition.tenant_id IS NULL)', { tenantId: tenant ?? null })
      .orderBy('definition.tenant_id IS NULL', 'ASC')
      .addOrderBy('definition.version', 'DESC');
    this.access.restrict(builder, scope);
    const found = await builder.getOne();
    if (!found)
      throw new GatewayError(GatewayErrorCode.ResourceNotFound, `No process definition with key '${key}'${tenantId ? ` for tenant '${tenantId}'` : ''}`);
    return ProcessDefinitionView.of(found);
  }

  async xml(scope: AccessScope, id: string): Promise<string> {
    await this.access.visible(scope, id);
    return this.definitionClient.getProcessDefinitionXml(id);
  }

  /** Statistics of a shared definition count every tenant's instances: engine-wide callers only. */
  async statistics(scope: AccessScope, id: string): Promise<DefinitionStatistics & { definitionId: string }> {
    const definition = await this.access.visible(scope, id);
    if (definition.tenantId === null ? !scope.engineWide : !scope.reaches(definition.tenantId, Role.Operator)) {
      throw new GatewayError(GatewayErrorCode.AccessDenied, 'Statistics of this definition need the operator role where all its instances live');
    }
    return { definitionId: id, ...(await this.definitionClient.getProcessDefinitionStatistics(id)) };
  }

  /** With includeInstances, the definition's open instances are refreshed too, so their state shows at once. */
  async setSuspended(scope: AccessScope, id: string, suspended: boolean, includeInstances: boolean): Promise<ProcessDefinitionView | AcceptedWrite> {
    const definition = await this.access.visible(scope, id);
    // A shared definition (no tenant) serves every workspace: only an engine-wide admin suspends it.
    if (!scope.reaches(definition.tenantId, Role.Admin))
      throw new GatewayError(GatewayErrorCode.AccessDenied, 'Suspending this definition needs an admin of every workspace it serves');
    await this.definitionClient.setProcessDefinitionSuspended(id, suspended, includeInstances);
    return afterEngineAccepted(suspended ? 'suspend process definition' : 'activate process definition', { id, suspended }, async () => {
      await this.refresher.refreshDefinitions();
      if (includeInstances) {
        const affected = await this.instances.findBy({ definitionId: id, state: In([...OPEN_INSTANCE_STATES]) });
        await this.refresher.refreshInstances(
          affected.map((instance) => instance.id),
          { actor: scope.actor },
        );
      }
      return this.get(scope, id);
    });
  }
}
