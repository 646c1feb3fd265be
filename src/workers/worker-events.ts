import { EventType, type PublishedEventType } from '../events/event-types.js';
import { holdsNul } from '../mirror/unstorable-text.js';
import { stableUuid } from './stable-id.js';
import { NonRetryableError, type WorkerEvent } from './worker-api.js';

/** A worker's event as the runtime writes it: an id always, and held until the engine accepted the completion. */
export interface HeldEvent {
  id: string;
  type: PublishedEventType;
  data: Record<string, unknown>;
  holdMs: number;
  /** This attempt at the task: a redelivery's attempt takes the events over, so only it settles them. */
  heldBy: string;
}

// The outbox's type column holds 64 characters.
const MAX_TYPE_LENGTH = 64;
const MODEL_EVENT = /^model\.[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Of the gateway's own types only the domain ones: process, task and incident events are the mirror's to publish.
const DOMAIN_TYPES: ReadonlySet<string> = new Set([EventType.TicketProcessed]);

/** The handler's events, checked so that the outbox can store them; one that cannot be stored is the task's incident. */
export function checkedEvents(externalTaskId: string, events: WorkerEvent[] | undefined, hold: { ms: number; by: string }): HeldEvent[] {
  const checked = (events ?? []).map((event, index): HeldEvent => {
    const type = String(event.type);
    if (type.length > MAX_TYPE_LENGTH || !(DOMAIN_TYPES.has(type) || MODEL_EVENT.test(type))) {
      throw new NonRetryableError(
        `Event type '${type.slice(0, 100)}' is neither a domain event type (ticket.processed) nor model.<words> of at most ${MAX_TYPE_LENGTH} characters`,
      );
    }
    if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data))
      throw new NonRetryableError(`Event ${type}: data must be a JSON object`);
    // jsonb refuses the NUL character, in any string or key.
    if (holdsNul(event.data)) throw new NonRetryableError(`Event ${type}: data holds a NUL character, which cannot be stored`);
    if (event.id !== undefined && !UUID.test(event.id)) throw new NonRetryableError(`Event ${type}: id must be a UUID`);
    return {
      id: event.id ?? stableUuid(`${externalTaskId}:${index}:${type}`),
      type: type as PublishedEventType,
      data: event.data,
      holdMs: hold.ms,
      heldBy: hold.by,
    };
  });
  if (new Set(checked.map((event) => event.id)).size !== checked.length) throw new NonRetryableError('Two events of one task have the same id');
  return checked;
}
