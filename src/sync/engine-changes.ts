import { Injectable } from '@nestjs/common';
import { allPages } from '../camunda/all-pages.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import type { EngineUserOperation } from '../camunda/camunda.models.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { BulkFollowUp } from './bulk-follow-up.js';
import type { AssigneeChange, LoggedChanges, SuspensionChange } from './instance-snapshot.js';
import { changeKey, MirroredChanges } from './mirrored-changes.js';
import { lookBackMs } from './poll-windows.js';
import { RecentKeys } from './recent-keys.js';
import { UpdatedTasks } from './updated-tasks.js';

// A backlog's listing (an outage's) holds many: a key forgotten early only costs one refresh more.
const MOST_SETTLED_KEYS = 100_000;
const DEFINITION_ENTITIES = new Set(['Deployment', 'ProcessDefinition']);

export interface ChangedSince {
  instanceIds: Set<string>;
  definitionsChanged: boolean;
  /** Transitions in the window's user-operation log the mirror has not seen (claims undone included), oldest first. */
  logged: LoggedChanges;
  /** Called once the instances are refreshed: the next poll leaves alone what this one saw. */
  settle: () => void;
}

/** Change entries by instance, each under a key that stays the same in every poll whose window holds it. */
class SeenChanges {
  readonly keys = new Set<string>();
  private readonly fresh = new Set<string>();

  constructor(
    private readonly settled: RecentKeys,
    private readonly mirrored: MirroredChanges,
  ) {}

  /** The instance is refreshed unless a settled poll or a refresh of this replica already read the change. */
  add(instanceId: string | null, key: string): void {
    this.keys.add(key);
    if (instanceId !== null && this.unseen(key)) this.fresh.add(instanceId);
  }

  /**
   * A change a snapshot shows (MirroredChanges): none is needed once a refresh of this replica read it. Found while a
   * refresh of the instance is under way (a gateway command's), it is left to that one, and not settled: should that
   * refresh not show it, the instance is owed a refresh, which the next poll makes.
   */
  addMirrorable(instanceId: string | null, key: string): void {
    if (instanceId !== null && this.unseen(key) && this.mirrored.leaveToRefreshUnderWay(instanceId, key)) return;
    this.add(instanceId, key);
  }

  isNew(key: string): boolean {
    this.keys.add(key);
    return !this.settled.has(key);
  }

  /** Neither refreshed by a settled poll nor already turned into an event by a refresh of this replica. */
  unseen(key: string): boolean {
    return !this.settled.has(key) && !this.mirrored.has(key);
  }

  get instanceIds(): Set<string> {
    return this.fresh;
  }
}

/**
 * Asks the engine what changed since a point in time, whoever changed it: gateway, Cockpit, Tasklist, a job. Poll
 * windows overlap (PollWindows), so much of what a poll finds an earlier poll already refreshed: a change is
 * refreshed once, by the first poll that sees it and completes, and the overlap costs requests, not refreshes.
 */
@Injectable()
export class EngineChanges {
  /** Keys of the changes settled polls refreshed, kept while later poll windows can still list them. */
  private readonly settled: RecentKeys;

  constructor(
    private readonly historyClient: HistoryClient,
    private readonly updatedTasks: UpdatedTasks,
    private readonly bulk: BulkFollowUp,
    private readonly mirrored: MirroredChanges,
    config: GatewayConfig,
  ) {
    this.settled = new RecentKeys(lookBackMs(config.SYNC_OVERLAP_MS), MOST_SETTLED_KEYS);
  }

  /**
   * Ten queries when nothing changed, whatever the number of instances: nine for changes, one for finished batches
   * (the engine that ignores updatedAfter is asked nine). A bulk operation or a finished batch adds one page per 500
   * open instances it may have touched, in the first poll that sees it.
   */
  async since(from: Date): Promise<ChangedSince> {
    const [started, finished, tasksStarted, tasksFinished, tasksUpdated, variableUpdates, incidentsCreated, incidentsEnded, operations, batchEnded] =
      await Promise.all([
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
    const seen = new SeenChanges(this.settled, this.mirrored);
    for (const instance of started) seen.addMirrorable(instance.id, changeKey.instanceStarted(instance.id));
    for (const instance of finished) seen.addMirrorable(instance.id, changeKey.instanceEnded(instance.id));
    for (const task of tasksStarted) seen.addMirrorable(task.processInstanceId, changeKey.taskCreated(task.id));
    for (const task of tasksFinished) seen.addMirrorable(task.processInstanceId, changeKey.taskEnded(task.id));
    // The engine lists a task created after the window's start as updated, without an update time: that is its creation.
    for (const task of tasksUpdated) {
      if (task.lastUpdated) seen.add(task.processInstanceId, `task-updated:${task.id}:${task.lastUpdated.getTime()}`);
      else seen.addMirrorable(task.processInstanceId, changeKey.taskCreated(task.id));
    }
    for (const update of variableUpdates) {
      // A snapshot holding a variable shows its creation, not which of its later updates it holds.
      if (update.createdVariableId) seen.addMirrorable(update.processInstanceId, changeKey.variableCreated(update.createdVariableId));
      else seen.add(update.processInstanceId, `variable-update:${update.id}`);
    }
    for (const incident of incidentsCreated) seen.addMirrorable(incident.processInstanceId, changeKey.incidentCreated(incident.id));
    for (const incident of incidentsEnded) seen.addMirrorable(incident.processInstanceId, changeKey.incidentEnded(incident.id));
    for (const operation of operations) {
      if (isInstanceCreation(operation)) seen.addMirrorable(operation.processInstanceId, changeKey.instanceStarted(operation.processInstanceId));
      else seen.add(operation.processInstanceId, changeKey.operation(operation.id));
    }
    const newOperations = operations.filter((operation) => seen.isNew(changeKey.operation(operation.id)));
    const newBatchEnded = batchEnded !== null && seen.isNew(`batch-ended:${batchEnded}`);
    const instanceIds = seen.instanceIds;
    for (const id of await this.bulk.instancesToRefresh(newOperations, newBatchEnded)) instanceIds.add(id);
    const owed = this.mirrored.owedRefreshes();
    for (const id of owed) instanceIds.add(id);
    return {
      instanceIds,
      definitionsChanged: newOperations.some((operation) => DEFINITION_ENTITIES.has(operation.entityType)),
      logged: loggedChangesOf(operations.filter((operation) => seen.unseen(changeKey.operation(operation.id)))),
      settle: () => {
        this.settled.add(seen.keys);
        this.mirrored.paid(owed);
      },
    };
  }
}

/** The log entry of an instance's start through the API: made in the start's own transaction. */
function isInstanceCreation(operation: EngineUserOperation): operation is EngineUserOperation & { processInstanceId: string } {
  return operation.operationType === 'Create' && operation.entityType === 'ProcessInstance' && operation.processInstanceId !== null;
}

/** The log's assignee entries by task and suspension entries by instance, in the log's order (oldest first). */
function loggedChangesOf(operations: EngineUserOperation[]): LoggedChanges {
  const assignees = new Map<string, AssigneeChange[]>();
  const suspensions = new Map<string, SuspensionChange[]>();
  for (const operation of operations) {
    if (operation.taskId !== null && operation.property === 'assignee') {
      appendTo(assignees, operation.taskId, { entryId: operation.id, from: operation.orgValue, to: operation.newValue, at: operation.at });
    } else if (operation.entityType === 'ProcessInstance' && operation.processInstanceId !== null && operation.property === 'suspensionState') {
      appendTo(suspensions, operation.processInstanceId, { entryId: operation.id, suspended: operation.newValue === 'suspended', at: operation.at });
    }
  }
  return { assignees, suspensions };
}

function appendTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const values = map.get(key);
  if (values) values.push(value);
  else map.set(key, [value]);
}
