import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CamundaClient } from '../camunda/camunda-client.js';
import { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';

/** Keeps the process-definition mirror equal to the engine's definitions. */
@Injectable()
export class DefinitionSync {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly camunda: CamundaClient,
  ) {}

  /** Reads every definition from the engine; rows the engine no longer has (deleted deployments) are removed. */
  async refreshAll(): Promise<number> {
    const definitions = await this.camunda.listProcessDefinitions();
    await this.dataSource.transaction(async (manager) => {
      const ids = definitions.map((definition) => definition.id);
      await manager.createQueryBuilder().delete().from(ProcessDefinitionRecord).where('NOT (id = ANY(:ids))', { ids }).execute();
      const now = new Date();
      if (definitions.length > 0) {
        await manager.save(ProcessDefinitionRecord, definitions.map((definition) => manager.create(ProcessDefinitionRecord, { ...definition, lastSyncedAt: now })));
      }
    });
    return definitions.length;
  }
}
