import { Injectable } from '@nestjs/common';
import { CamundaClient } from '../camunda/camunda-client.js';

const PAGE_SIZE = 500;
const DEFINITION_ENTITIES = new Set(['Deployment', 'ProcessDefinition']);

export interface ChangedSince {
  instanceIds: Set<string>;
  definitionsChanged: boolean;
}

/** Asks the engine what changed since a point in time, whoever changed it: gateway, Cockpit, Tasklist, a job. */
@Injectable()
export class EngineChanges {
  constructor(private readonly camunda: CamundaClient) {}

  /** Five queries when nothing changed, whatever the number of instances. */
  async since(from: Date): Promise<ChangedSince> {
    const [started, finished, tasksStarted, tasksFinished, operations] = await Promise.all([
      allPages((first, max) => this.camunda.listHistoricProcessInstances({ startedAfter: from, firstResult: first, maxResults: max })),
      allPages((first, max) => this.camunda.listHistoricProcessInstances({ finishedAfter: from, firstResult: first, maxResults: max })),
      allPages((first, max) => this.camunda.listHistoricTasks({ startedAfter: from, firstResult: first, maxResults: max })),
      allPages((first, max) => this.camunda.listHistoricTasks({ finishedAfter: from, firstResult: first, maxResults: max })),
      // Claims, assignments, suspensions, deletions: changes that leave no start or end time behind.
      allPages((_first, max) => this.camunda.listUserOperations({ after: from, maxResults: max }), true),
    ]);
    const instanceIds = new Set<string>();
    for (const instance of [...started, ...finished]) instanceIds.add(instance.id);
    for (const entry of [...tasksStarted, ...tasksFinished, ...operations]) {
      if (entry.processInstanceId) instanceIds.add(entry.processInstanceId);
    }
    return { instanceIds, definitionsChanged: operations.some((operation) => DEFINITION_ENTITIES.has(operation.entityType)) };
  }

  /** Every instance still running: the first sync of an empty mirror imports these. */
  async openInstanceIds(): Promise<Set<string>> {
    const open = await allPages((first, max) => this.camunda.listHistoricProcessInstances({ unfinished: true, firstResult: first, maxResults: max }));
    return new Set(open.map((instance) => instance.id));
  }
}

/**
 * Reads a query page by page. The user-operation log has no stable paging under inserts, so it is read in one
 * large page; a poll interval that produces more than that is caught by the next overlap window.
 */
async function allPages<T>(fetch: (firstResult: number, maxResults: number) => Promise<T[]>, singlePage = false): Promise<T[]> {
  const all: T[] = [];
  for (let first = 0; ; first += PAGE_SIZE) {
    const page = await fetch(first, singlePage ? PAGE_SIZE * 10 : PAGE_SIZE);
    all.push(...page);
    if (singlePage || page.length < PAGE_SIZE) return all;
  }
}
