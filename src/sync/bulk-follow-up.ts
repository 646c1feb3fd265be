import { Injectable } from '@nestjs/common';
import { allPages } from '../camunda/all-pages.js';
import type { EngineProcessInstance, EngineUserOperation } from '../camunda/camunda.models.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { definitionsTouchedInBulk, type DefinitionsTouched } from './bulk-operations.js';
import { MirroredOpenInstances } from './mirrored-open-instances.js';
import { outOfStep } from './out-of-step.js';

/**
 * Follows up operations that changed many instances and named none of them: suspensions by definition, and batches
 * (migration, deletion, suspension, set-variables, ...), whose jobs log nothing per instance. Migrating or suspending
 * leaves no start, end or update time anywhere (checked on Camunda 7.24: historic instances just carry the new
 * definition id or state, tasks keep their lastUpdated), and a batch's user-operation entry names neither its batch
 * nor, except for a migration, what it selected. So once such an operation is known to have run, the engine's open
 * instances it may have touched are compared with the mirror (state, definition, open at all) and those out of step
 * are refreshed: one engine page per 500 open instances, only then; rerunning the comparison in the next poll's
 * overlap window refreshes nothing twice.
 */
@Injectable()
export class BulkFollowUp {
  constructor(
    private readonly historyClient: HistoryClient,
    private readonly mirrored: MirroredOpenInstances,
  ) {}

  /** The latest batch, if it ended since `from`: one request (the poll's only extra cost when idle). */
  async batchEndedSince(from: Date): Promise<string | null> {
    const [latest] = await this.historyClient.listFinishedBatches({ firstResult: 0, maxResults: 1 });
    return latest !== undefined && latest.endedAt >= from ? latest.id : null;
  }

  /**
   * Instances out of step with the engine after the bulk operations among `operations`; after a batch ended (it does
   * not say which instances it covered), every open instance is compared.
   */
  async instancesToRefresh(operations: EngineUserOperation[], batchEnded: boolean): Promise<Set<string>> {
    if (batchEnded) {
      const [mirrored, engine] = await Promise.all([this.mirrored.all(), this.openInstances({})]);
      return outOfStep(mirrored, engine);
    }
    const definitions = definitionsTouchedInBulk(operations);
    if (definitions.ids.size === 0 && definitions.keys.size === 0) return new Set();
    const [mirrored, engine] = await Promise.all([this.mirrored.ofDefinitions(definitions), this.openInstancesOf(definitions)]);
    return outOfStep(mirrored, engine);
  }

  private async openInstancesOf(definitions: DefinitionsTouched): Promise<EngineProcessInstance[]> {
    const lists = await Promise.all([
      ...[...definitions.ids].map((processDefinitionId) => this.openInstances({ processDefinitionId })),
      ...[...definitions.keys].map((processDefinitionKey) => this.openInstances({ processDefinitionKey })),
    ]);
    return lists.flat();
  }

  private openInstances(filter: { processDefinitionId?: string; processDefinitionKey?: string }): Promise<EngineProcessInstance[]> {
    return allPages((firstResult, maxResults) => this.historyClient.listHistoricProcessInstances({ ...filter, unfinished: true, firstResult, maxResults }));
  }
}
