import { eventHeaders } from './event-headers.js';

describe('eventHeaders', () => {
  it('names the tenant and the actor by Camunda id', () => {
    expect(eventHeaders({ tenantId: 'acme', actor: { camundaUserId: 'alice1', localId: 'sub-1', kind: 'user' } })).toEqual({
      'x-tenant-id': 'acme',
      'x-actor': 'alice1',
    });
  });

  it('leaves out what is null, and what a row written before the envelope had them lacks', () => {
    expect(eventHeaders({ tenantId: null, actor: null })).toEqual({});
    expect(eventHeaders({} as never)).toEqual({});
  });
});
