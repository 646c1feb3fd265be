import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DefinitionClient } from '../camunda/clients/definition.client.js';
import { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';

/** Keeps the process-definition mirror equal to the engine's definitions. */
@Injectable()
export class DefinitionSync {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly definitionClient: DefinitionClient,
  ) {}

  /**
   * Reads every definition from the engine; rows the engine no longer has (deleted deployments) are removed.
   * Returns the removed ids: their instances may be gone from the engine too.
   */
  async refreshAll(): Promise<string[]> {
    const definitions = await this.definitionClient.listProcessDefinitions();
    return this.dataSource.transaction(async (manager) => {
      const ids = definitions.map((definition) => definition.id);
      const removed: { id: string }[] = await manager.query('DELETE FROM process_definitions WHERE NOT (id = ANY($1)) RETURNING id', [ids]);
      const now = new Date();
      if (definitions.length > 0) {
        await manager.save(ProcessDefinitionRecord, definitions.map((definition) => manager.create(ProcessDefinitionRecord, { ...definition, lastSyncedAt: now })));
      }
      return removed.map((row) => row.id);
    });
  }
}
