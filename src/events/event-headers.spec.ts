import { eventHeaders } from './event-headers.js';

describe('eventHeaders', () => {
  it('names the tenant, the actor by Camunda id and the request', () => {
    expect(eventHeaders({ tenantId: 'acme', actor: { camundaUserId: 'alice1', localId: 'sub-1', kind: 'user' }, requestId: 'req-1' })).toEqual({
      'x-tenant-id': 'acme',
      'x-actor': 'alice1',
      'x-request-id': 'req-1',
    });
  });

  it('leaves out what is null, and what a row written before the envelope had them lacks', () => {
    expect(eventHeaders({ tenantId: null, actor: null, requestId: null })).toEqual({});
    expect(eventHeaders({} as never)).toEqual({});
  });

  it('carries the trace context as the propagator wrote it, beside the gateway headers', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(eventHeaders({ tenantId: null, actor: null, requestId: 'req-2' }, { traceparent, tracestate: 'vendor=1' })).toEqual({
      traceparent,
      tracestate: 'vendor=1',
      'x-request-id': 'req-2',
    });
  });
});
