import { Injectable } from '@nestjs/common';
import type { InstanceSnapshot } from './instance-snapshot.js';

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
 * a transition twice. Changes a snapshot cannot prove (variable updates, other user operations, task
 * updates) keep their own keys, so they are refreshed as before.
 */
@Injectable()
export class MirroredChanges {
  /** Key → when recorded; a Map keeps insertion order, so the oldest come first. */
  private readonly keys = new Map<string, number>();

  /** Called once the snapshots' transaction committed (or a newer mirror state made them stale). */
  record(snapshots: Iterable<InstanceSnapshot | null>, at = Date.now()): void {
    for (const snapshot of snapshots) {
      if (!snapshot) continue;
      this.add(changeKey.instanceStarted(snapshot.id), at);
      for (const change of snapshot.suspensionChanges ?? []) this.add(changeKey.operation(change.entryId), at);
      if (snapshot.endedAt) this.add(changeKey.instanceEnded(snapshot.id), at);
      for (const task of snapshot.tasks) {
        this.add(changeKey.taskCreated(task.id), at);
        if (task.endedAt) this.add(changeKey.taskEnded(task.id), at);
        for (const change of task.assigneeChanges ?? []) this.add(changeKey.operation(change.entryId), at);
      }
      for (const incident of snapshot.incidents) {
        this.add(changeKey.incidentCreated(incident.id), at);
        if (incident.endedAt) this.add(changeKey.incidentEnded(incident.id), at);
      }
    }
    this.forgetOld(at);
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  private add(key: string, at: number): void {
    this.keys.delete(key);
    this.keys.set(key, at);
  }

  private forgetOld(at: number): void {
    for (const [key, recordedAt] of this.keys) {
      if (this.keys.size <= MOST_KEYS && at - recordedAt <= KEPT_MS) break;
      this.keys.delete(key);
    }
  }
}
