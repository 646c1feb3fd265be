import type { Caller } from '../identity/caller.js';
import type { EventActor } from './event-types.js';

/** The actor events name for changes a caller made through the gateway. */
export function eventActorOf(caller: Caller): EventActor {
  return { camundaUserId: caller.camundaUserId, localId: caller.identity.localId, kind: caller.identity.kind };
}
