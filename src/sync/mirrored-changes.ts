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
};

// Enough for every change a poll window can still list (overlap and a slow poll), not for an outage's backlog: a key
// forgotten early only costs the poll one refresh more.
const KEPT_MS = 60_000;
const MOST_KEYS = 50_000;

/**
 * Changes this replica's mirror already holds because a refresh read them: an instance's start and end, its tasks'
 * creation and end, its incidents', the logged transitions it turned into events. A poll that finds such a change a
 * moment later (the gateway's own start, a worker's completion) need not refresh the instance for it, nor publish
 * a transition twice. Changes a snapshot cannot prove (variable updates, other user operations, task updates) keep
 * their own keys, so they are refreshed as before.
 *
 * It also knows the instances a gateway refresh is under way for (queued or reading): any refresh of an instance
 * reads after the instance's start, so a poll that lists the start first can leave it to that refresh.
 */
@Injectable()
export class MirroredChanges {
  private readonly keys = new RecentKeys(KEPT_MS, MOST_KEYS);
  /** Instance id → refreshes under way. */
  private readonly underWay = new Map<string, number>();

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

  /** Counts a refresh of the instance as under way until the returned function is called, once, after `record`. */
  refreshing(instanceId: string): () => void {
    this.underWay.set(instanceId, (this.underWay.get(instanceId) ?? 0) + 1);
    return () => {
      const left = this.underWay.get(instanceId)! - 1;
      if (left === 0) this.underWay.delete(instanceId);
      else this.underWay.set(instanceId, left);
    };
  }

  isRefreshing(instanceId: string): boolean {
    return this.underWay.has(instanceId);
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
    ...snapshot.incidents.flatMap((incident) => [changeKey.incidentCreated(incident.id), ...(incident.endedAt ? [changeKey.incidentEnded(incident.id)] : [])]),
  ];
}
