import { Injectable } from '@nestjs/common';
import type { InstanceSnapshot } from './instance-snapshot.js';
import { RecentKeys } from './recent-keys.js';

/** The keys a poll files engine changes under (EngineChanges); the same in every poll whose window holds a change. */
export const changeKey = {
  instanceStarted: (id: string) => `instance-started:${id}`,
  instanceEnded: (id: string) => `instance-ended:${id}`,
  taskCreated: (id: string) => `task-created:${id}`,
  taskEnded: (id: string) => `task-ended:${id}`,
  incidentCreated: (id: string) => `incident-created:${id}`,
  incidentEnded: (id: string) => `incident-ended:${id}`,
  operation: (id: string) => `operation:${id}`,
  variableCreated: (variableInstanceId: string) => `variable-created:${variableInstanceId}`,
};

// Enough for every change a poll window can still list (overlap and a slow poll), not for an outage's backlog: a key
// forgotten early only costs the poll one refresh more.
const KEPT_MS = 60_000;
const MOST_KEYS = 50_000;

/**
 * Changes this replica's mirror already holds because a refresh read them: an instance's start and end, its tasks'
 * creation and end, its incidents', the logged transitions it turned into events. A poll that finds such a change a
 * moment later (the gateway's own start, a worker's completion) need not refresh the instance for it, nor publish
 * a transition twice. Changes a snapshot cannot prove (a variable's later updates, other user operations, task
 * updates) keep their own keys, so they are refreshed as before; a variable's creation it proves by holding it.
 *
 * It also knows the instances a gateway refresh is under way for (queued or reading). A poll that lists a change
 * such a refresh may show leaves it to that refresh; if the refresh ends without showing it (it read too early, or
 * failed), the instance is owed a refresh, which the next poll makes whatever its window.
 */
@Injectable()
export class MirroredChanges {
  private readonly keys = new RecentKeys(KEPT_MS, MOST_KEYS);
  private readonly underWay = new Map<string, RefreshesUnderWay>();
  private readonly owed = new Set<string>();

  /** Called once the snapshots' transaction committed (or a newer mirror state made them stale). */
  record(snapshots: Iterable<InstanceSnapshot | null>, at = Date.now()): void {
    this.keys.add(
      [...snapshots].flatMap((snapshot) => (snapshot ? keysOf(snapshot) : [])),
      at,
    );
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  /** Counts a refresh of the instance as under way until the returned function is called, after `record`. */
  refreshing(instanceId: string): () => void {
    const entry = this.underWay.get(instanceId) ?? { refreshes: 0, changesLeft: [] };
    this.underWay.set(instanceId, entry);
    entry.refreshes += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      entry.refreshes -= 1;
      if (entry.refreshes > 0) return;
      this.underWay.delete(instanceId);
      if (entry.changesLeft.some((key) => !this.keys.has(key))) this.owed.add(instanceId);
    };
  }

  /** Leaves a change to the refresh of its instance under way, if one is; true when left. */
  leaveToRefreshUnderWay(instanceId: string, key: string): boolean {
    const entry = this.underWay.get(instanceId);
    entry?.changesLeft.push(key);
    return entry !== undefined;
  }

  /** Instances owed a refresh: one under way ended without showing a change left to it. */
  owedRefreshes(): string[] {
    return [...this.owed];
  }

  /** Called once a poll refreshed them. */
  paid(instanceIds: string[]): void {
    for (const id of instanceIds) this.owed.delete(id);
  }
}

function keysOf(snapshot: InstanceSnapshot): string[] {
  return [
    changeKey.instanceStarted(snapshot.id),
    ...(snapshot.suspensionChanges ?? []).map((change) => changeKey.operation(change.entryId)),
    ...(snapshot.endedAt ? [changeKey.instanceEnded(snapshot.id)] : []),
    ...snapshot.tasks.flatMap((task) => [
      changeKey.taskCreated(task.id),
      ...(task.endedAt ? [changeKey.taskEnded(task.id)] : []),
      ...(task.assigneeChanges ?? []).map((change) => changeKey.operation(change.entryId)),
    ]),
    ...snapshot.variables.map((variable) => changeKey.variableCreated(variable.id)),
    ...snapshot.incidents.flatMap((incident) => [changeKey.incidentCreated(incident.id), ...(incident.endedAt ? [changeKey.incidentEnded(incident.id)] : [])]),
  ];
}

interface RefreshesUnderWay {
  refreshes: number;
  changesLeft: string[];
}
