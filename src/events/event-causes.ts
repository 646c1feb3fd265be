import { Injectable } from '@nestjs/common';
import { context, propagation } from '@opentelemetry/api';
import { RequestContext } from '../http/request-context.js';
import type { EventCause } from './event-types.js';

/** The cause of a change the code running now makes: the request it runs for, and the trace context active here. */
@Injectable()
export class EventCauses {
  constructor(private readonly requests: RequestContext) {}

  /**
   * Null outside any request and any trace. The trace carrier is what the registered propagator writes (W3C
   * traceparent and tracestate); without an OpenTelemetry SDK it writes nothing and only the request id is kept.
   */
  current(): EventCause | null {
    const requestId = this.requests.requestId ?? null;
    const traceContext: Record<string, string> = {};
    propagation.inject(context.active(), traceContext);
    const traced = Object.keys(traceContext).length > 0;
    if (requestId === null && !traced) return null;
    return traced ? { requestId, traceContext } : { requestId };
  }
}
