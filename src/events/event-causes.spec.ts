import { context, propagation, ROOT_CONTEXT, trace, TraceFlags, type Context, type ContextManager } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { RequestContext } from '../http/request-context.js';
import { EventCauses } from './event-causes.js';
import { eventHeaders } from './event-headers.js';

/** The least an SDK would register: `context.with` makes a context the active one while its callback runs. */
class StackContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;
  active(): Context {
    return this.current;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(active: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const previous = this.current;
    this.current = active;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}

const requests = new RequestContext();
const causes = new EventCauses(requests);
const span = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };

describe('EventCauses', () => {
  it('without an OpenTelemetry SDK: the request id alone, and nothing outside a request', () => {
    expect(requests.run('req-1', () => causes.current())).toEqual({ requestId: 'req-1' });
    expect(causes.current()).toBeNull();
  });

  describe('with the W3C propagator and an active span', () => {
    beforeAll(() => {
      context.setGlobalContextManager(new StackContextManager());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(() => {
      propagation.disable();
      context.disable();
    });

    it('carries traceparent with the request id, and it reaches the AMQP headers of the event', () => {
      const cause = context.with(trace.setSpanContext(ROOT_CONTEXT, span), () => requests.run('req-2', () => causes.current()));
      const traceparent = `00-${span.traceId}-${span.spanId}-01`;
      expect(cause).toEqual({ requestId: 'req-2', traceContext: { traceparent } });
      expect(eventHeaders({ tenantId: null, actor: null, requestId: cause!.requestId }, cause!.traceContext)).toEqual({
        traceparent,
        'x-request-id': 'req-2',
      });
    });

    it('RequestContext.outside leaves the trace as well as the request: a shared batch or the relay causes nothing', () => {
      const cause = context.with(trace.setSpanContext(ROOT_CONTEXT, span), () => requests.run('req-3', () => requests.outside(() => causes.current())));
      expect(cause).toBeNull();
    });

    it('outside a request (an external-task handler in a span): the trace alone', () => {
      expect(context.with(trace.setSpanContext(ROOT_CONTEXT, span), () => causes.current())).toEqual({
        requestId: null,
        traceContext: { traceparent: `00-${span.traceId}-${span.spanId}-01` },
      });
      expect(causes.current()).toBeNull();
    });
  });
});
