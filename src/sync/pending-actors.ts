import type { EventActor } from '../events/event-types.js';

// Longer than any engine command and the refresh after it; a command that never refreshed is forgotten after it.
const PENDING_MS = 30_000;

/**
 * Who is changing an instance through this gateway right now, from just before the engine call until the
 * command's own refresh. A poll that reaches the change first names them too, instead of no one. Per process: a
 * poll of another replica still publishes such a change without an actor.
 */
export class PendingActors {
  private readonly pending = new Map<string, { actor: EventActor; until: number }>();

  expect(instanceId: string, actor: EventActor, now = Date.now()): void {
    this.pending.set(instanceId, { actor, until: now + PENDING_MS });
  }

  actorOf(instanceId: string, now = Date.now()): EventActor | undefined {
    const entry = this.pending.get(instanceId);
    if (entry && entry.until > now) return entry.actor;
    if (entry) this.pending.delete(instanceId);
    return undefined;
  }

  settled(instanceId: string): void {
    this.pending.delete(instanceId);
  }
}
