import { Injectable } from '@nestjs/common';
import { allPages } from '../camunda/all-pages.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { BulkFollowUp } from './bulk-follow-up.js';
import { UpdatedTasks } from './updated-tasks.js';

const DEFINITION_ENTITIES = new Set(['Deployment', 'ProcessDefinition']);

export interface ChangedSince {
  instanceIds: Set<string>;
  definitionsChanged: boolean;
}

/** Asks the engine what changed since a point in time, whoever changed it: gateway, Cockpit, Tasklist, a job. */
@Injectable()
export class EngineChanges {
  constructor(
    private readonly historyClient: HistoryClient,
    private readonly updatedTasks: UpdatedTasks,
    private readonly bulk: BulkFollowUp,
  ) {}

  /**
   * Ten queries when nothing changed, whatever the number of instances: nine for changes, one for finished batches
   * (the engine that ignores updatedAfter is asked nine). A bulk operation or a finished batch adds one page per 500
   * open instances it may have touched, in that poll only.
   */
  async since(from: Date): Promise<ChangedSince> {
    const [started, finished, tasksStarted, tasksFinished, tasksUpdated, variableUpdates, incidentsCreated, incidentsEnded, operations, batchEnded] = await Promise.all([
      allPages((first, max) => this.historyClient.listHistoricProcessInstances({ startedAfter: from, firstResult: first, maxResults: max })),
      allPages((first, max) => this.historyClient.listHistoricProcessInstances({ finishedAfter: from, firstResult: first, maxResults: max })),
      allPages((first, max) => this.historyClient.listHistoricTasks({ startedAfter: from, firstResult: first, maxResults: max })),
      allPages((first, max) => this.historyClient.listHistoricTasks({ finishedAfter: from, firstResult: first, maxResults: max })),
      this.updatedTasks.since(from),
      allPages((first, max) => this.historyClient.listInstancesWithVariableUpdates({ after: from, firstResult: first, maxResults: max })),
      allPages((first, max) => this.historyClient.listHistoricIncidents({ createTimeAfter: from, firstResult: first, maxResults: max })),
      allPages((first, max) => this.historyClient.listHistoricIncidents({ endTimeAfter: from, firstResult: first, maxResults: max })),
      // Claims, assignments, suspensions, deletions: changes that leave no start or end time behind.
      // All of them, oldest first, however many an outage or a bulk operation left: no page is the last by accident.
      allPages((first, max) => this.historyClient.listUserOperations({ after: from, firstResult: first, maxResults: max })),
      this.bulk.batchEndedSince(from),
    ]);
    const instanceIds = await this.bulk.instancesToRefresh(operations, batchEnded);
    for (const instance of [...started, ...finished]) instanceIds.add(instance.id);
    for (const entry of [...tasksStarted, ...tasksFinished, ...tasksUpdated, ...variableUpdates, ...incidentsCreated, ...incidentsEnded, ...operations]) {
      if (entry.processInstanceId) instanceIds.add(entry.processInstanceId);
    }
    return { instanceIds, definitionsChanged: operations.some((operation) => DEFINITION_ENTITIES.has(operation.entityType)) };
  }
}
