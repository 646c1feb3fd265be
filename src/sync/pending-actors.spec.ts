import { PendingActors } from './pending-actors.js';

describe('PendingActors', () => {
  const mary = { camundaUserId: 'gwmary', localId: 'm-1', kind: 'user' as const };

  it('names the actor of a command in flight until its own refresh settles it', () => {
    const pending = new PendingActors();
    pending.expect('p1', mary, 0);
    expect(pending.actorOf('p1', 10)).toEqual(mary);
    expect(pending.actorOf('p2', 10)).toBeUndefined();
    pending.settled('p1');
    expect(pending.actorOf('p1', 20)).toBeUndefined();
  });

  it('forgets a command that never refreshed', () => {
    const pending = new PendingActors();
    pending.expect('p1', mary, 0);
    expect(pending.actorOf('p1', 30_001)).toBeUndefined();
  });
});
