import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DefinitionClient } from '../camunda/clients/definition.client.js';
import { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';
import { DatabaseClock } from './database-clock.js';

/** Keeps the process-definition mirror equal to the engine's definitions. */
@Injectable()
export class DefinitionSync {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly definitionClient: DefinitionClient,
    private readonly clock: DatabaseClock,
  ) {}

  /**
   * Reads every definition from the engine; rows the engine no longer has (deleted deployments) are removed.
   * Returns the removed ids: their instances may be gone from the engine too. Safe to run concurrently (a
   * deployment's own refresh and a poll): rows are upserted, and a row written by a refresh whose read began
   * later than this one's is never removed by this one.
   */
  async refreshAll(): Promise<string[]> {
    const readStartedAt = await this.clock.now();
    const definitions = await this.definitionClient.listProcessDefinitions();
    return this.dataSource.transaction(async (manager) => {
      const ids = definitions.map((definition) => definition.id);
      // Through a CTE: TypeORM answers a bare DELETE with [rows, count], not with the rows it returned.
      const removed: { id: string }[] = await manager.query(
        'WITH removed AS (DELETE FROM process_definitions WHERE NOT (id = ANY($1)) AND last_synced_at < $2 RETURNING id) SELECT id FROM removed',
        [ids, readStartedAt],
      );
      if (definitions.length > 0) {
        // Stamped with the read's start on the database clock: the time the removal guard above compares with.
        const rows = definitions.map((definition) => manager.create(ProcessDefinitionRecord, { ...definition, lastSyncedAt: readStartedAt }));
        await manager.upsert(ProcessDefinitionRecord, rows, ['id']);
      }
      return removed.map((row) => row.id);
    });
  }
}
