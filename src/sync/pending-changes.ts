import type { EventActor, EventCause } from '../events/event-types.js';

// Longer than any engine command and the refresh after it; a command that never refreshed is forgotten after it.
const PENDING_MS = 30_000;

/** Who changes an instance through the gateway, and in which request: what the events of that change name. */
export interface ChangeOrigin {
  actor: EventActor | null;
  cause: EventCause | null;
}

/**
 * Who is changing an instance through this gateway right now, and in which request, from just before the engine
 * call until the command's own refresh. A poll that reaches the change first names them too, instead of no one. Per
 * process: a poll of another replica still publishes such a change without an actor or a request.
 */
export class PendingChanges {
  private readonly pending = new Map<string, { origin: ChangeOrigin; until: number }>();

  expect(instanceId: string, origin: ChangeOrigin, now = Date.now()): void {
    this.pending.set(instanceId, { origin, until: now + PENDING_MS });
  }

  originOf(instanceId: string, now = Date.now()): ChangeOrigin | undefined {
    const entry = this.pending.get(instanceId);
    if (entry && entry.until > now) return entry.origin;
    if (entry) this.pending.delete(instanceId);
    return undefined;
  }

  settled(instanceId: string): void {
    this.pending.delete(instanceId);
  }
}
