import type { EventMessage } from './event-types.js';

/**
 * AMQP headers a headers exchange (or a consumer's filter) can select on without parsing the body. A header is
 * left out when its value is null: a binding on `x-tenant-id` then never matches events of no tenant. The trace
 * carrier (traceparent, tracestate) goes in as the propagator wrote it, so a consumer's OpenTelemetry extracts it
 * from the headers and continues the trace of the request that caused the event.
 */
export function eventHeaders(
  message: Pick<EventMessage, 'tenantId' | 'actor' | 'requestId'>,
  traceContext: Record<string, string> | null = null,
): Record<string, string> {
  const headers: Record<string, string> = { ...traceContext };
  if (typeof message.tenantId === 'string') headers['x-tenant-id'] = message.tenantId;
  if (message.actor) headers['x-actor'] = message.actor.camundaUserId;
  if (typeof message.requestId === 'string') headers['x-request-id'] = message.requestId;
  return headers;
}
