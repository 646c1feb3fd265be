import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { DefinitionClient } from '../camunda/clients/definition.client.js';
import type { DefinitionStatistics } from '../camunda/camunda.models.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';
import { InstanceState, ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { SyncService } from '../sync/sync.service.js';
import type { DefinitionQueryDto } from './dto/definition-query.dto.js';
import { ProcessDefinitionView } from './process-definition.view.js';

/** Definitions are read from the mirror; XML, statistics and suspension go to the engine. */
@Injectable()
export class ProcessDefinitionsService {
  constructor(
    private readonly definitionClient: DefinitionClient,
    private readonly sync: SyncService,
    @InjectRepository(ProcessDefinitionRecord) private readonly definitions: Repository<ProcessDefinitionRecord>,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  async list(query: DefinitionQueryDto): Promise<ProcessDefinitionView[]> {
    const builder = this.definitions.createQueryBuilder('definition').orderBy('definition.key', 'ASC').addOrderBy('definition.version', 'DESC');
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

  async get(id: string): Promise<ProcessDefinitionView> {
    return ProcessDefinitionView.of(await this.find(id));
  }

  async latest(key: string, tenantId?: string): Promise<ProcessDefinitionView> {
    const found = await this.definitions
      .createQueryBuilder('definition')
      .where('definition.key = :key', { key })
      .andWhere('definition.tenant_id IS NOT DISTINCT FROM :tenantId', { tenantId: tenantId ?? null })
      .orderBy('definition.version', 'DESC')
      .getOne();
    if (!found) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `No process definition with key '${key}'${tenantId ? ` for tenant '${tenantId}'` : ''}`);
    return ProcessDefinitionView.of(found);
  }

  async xml(id: string): Promise<string> {
    await this.find(id);
    return this.definitionClient.getProcessDefinitionXml(id);
  }

  async statistics(id: string): Promise<DefinitionStatistics & { definitionId: string }> {
    await this.find(id);
    return { definitionId: id, ...(await this.definitionClient.getProcessDefinitionStatistics(id)) };
  }

  /** With includeInstances, the definition's open instances are refreshed too, so their state shows at once. */
  async setSuspended(id: string, suspended: boolean, includeInstances: boolean): Promise<ProcessDefinitionView | AcceptedWrite> {
    await this.find(id);
    await this.definitionClient.setProcessDefinitionSuspended(id, suspended, includeInstances);
    return afterEngineAccepted(suspended ? 'suspend process definition' : 'activate process definition', { id, suspended }, async () => {
      await this.sync.refreshDefinitions();
      if (includeInstances) {
        const affected = await this.instances.findBy({ definitionId: id, state: In([InstanceState.Active, InstanceState.Suspended]) });
        await this.sync.refreshInstances(affected.map((instance) => instance.id));
      }
      return this.get(id);
    });
  }

  private async find(id: string): Promise<ProcessDefinitionRecord> {
    const definition = await this.definitions.findOneBy({ id });
    if (!definition) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `Process definition '${id}' does not exist`);
    return definition;
  }
}
