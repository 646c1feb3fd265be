import { InstanceState } from '../mirror/process-instance.entity.js';

/** The delete reason of an instance the mirror marked ended because the engine no longer has it. */
export const REMOVED_FROM_ENGINE = 'removed from engine';

/**
 * Only the gateway's own mark can be undone (its next refresh restores an instance the engine turns out to have after
 * all); an end the engine reported is final.
 */
export function isMarkedRemoved(instance: { state: InstanceState; deleteReason: string | null }): boolean {
  return instance.state === InstanceState.ExternallyTerminated && instance.deleteReason === REMOVED_FROM_ENGINE;
}
