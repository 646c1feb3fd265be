import type { EventMessage } from './event-types.js';

/**
 * AMQP headers a headers exchange (or a consumer's filter) can select on without parsing the body. A header is
 * left out when its value is null: a binding on `x-tenant-id` then never matches events of no tenant.
 */
export function eventHeaders(message: Pick<EventMessage, 'tenantId' | 'actor'>): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof message.tenantId === 'string') headers['x-tenant-id'] = message.tenantId;
  if (message.actor) headers['x-actor'] = message.actor.camundaUserId;
  return headers;
}
