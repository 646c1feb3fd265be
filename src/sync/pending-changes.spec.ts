import { PendingChanges } from './pending-changes.js';

describe('PendingChanges', () => {
  const mary = { camundaUserId: 'gwmary', localId: 'm-1', kind: 'user' as const };
  const origin = { actor: mary, cause: { requestId: 'req-1' } };

  it('names the actor and the request of a command in flight until its own refresh settles it', () => {
    const pending = new PendingChanges();
    pending.expect('p1', origin, 0);
    expect(pending.originOf('p1', 10)).toEqual(origin);
    expect(pending.originOf('p2', 10)).toBeUndefined();
    pending.settled('p1');
    expect(pending.originOf('p1', 20)).toBeUndefined();
  });

  it('forgets a command that never refreshed', () => {
    const pending = new PendingChanges();
    pending.expect('p1', origin, 0);
    expect(pending.originOf('p1', 30_001)).toBeUndefined();
  });
});
