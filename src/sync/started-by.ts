import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import type { VariableSnapshot } from './instance-snapshot.js';

/** The process variable the gateway sets to the caller's Camunda user id on every start it makes (a caller may not set it). */
export const STARTED_BY_VARIABLE = 'startedBy';
// The mirror's column width; a longer value cannot be a Camunda user id the gateway set.
const MAX_USER_ID_LENGTH = 64;

/**
 * Who started an instance. The gateway starts as its own technical engine user, so the engine's startUserId
 * names the caller only for starts made elsewhere (Tasklist, another engine-rest client); for the gateway's own
 * starts the `startedBy` variable does. Null when neither tells.
 */
export function startedByOf(variables: VariableSnapshot[], startUserId: string | null, technicalUser: string): string | null {
  const variable = variables.find((candidate) => candidate.scope === 'process' && candidate.name === STARTED_BY_VARIABLE);
  if (isUserId(variable?.value)) return variable.value;
  return isUserId(startUserId) && startUserId !== technicalUser ? startUserId : null;
}

function isUserId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_USER_ID_LENGTH;
}

/** Callers never write the starter variable, on any path (start, task completion, messages, variable writes). */
export function refuseStartedBy(names: Iterable<string>, field = 'variables'): void {
  for (const name of names) {
    if (name !== STARTED_BY_VARIABLE) continue;
    const message = `"${STARTED_BY_VARIABLE}" is set by the gateway to who starts the instance`;
    throw new GatewayError(GatewayErrorCode.ValidationFailed, message, [
      { field: field === 'name' ? 'name' : `${field}.${STARTED_BY_VARIABLE}`, messages: [message] },
    ]);
  }
}
