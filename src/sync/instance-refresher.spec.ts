import { EventCauses } from '../events/event-causes.js';
import { EventType, type EventActor, type EventCause } from '../events/event-types.js';
import type { OutboxRelay } from '../events/outbox-relay.js';
import { RequestContext } from '../http/request-context.js';
import type { DefinitionSync } from './definition-sync.js';
import type { FailureTriage } from './failure-triage.js';
import type { InstanceSnapshotReader } from './instance-snapshot-reader.js';
import { InstanceRefresher } from './instance-refresher.js';
import type { BatchRefreshOptions, DomainEvent, MirrorApplier, RefreshOptions } from './mirror-applier.js';
import { MirroredChanges } from './mirrored-changes.js';
import type { MirroredOpenInstances } from './mirrored-open-instances.js';
import type { ParkedInstances } from './parked-instances.js';

const alice = { kind: 'user', localId: 'alice' } as unknown as EventActor;

/** A refresher over stand-ins: batch refreshes wait on `release`, single ones answer at once. */
const requests = new RequestContext();

/** `staleInBatch`: instances whose batch snapshot is older than the mirror's; `badEvent`: an event id no refresh can store. */
function refresherWith(options: { batchFails?: boolean; failingAlone?: string; outage?: boolean; staleInBatch?: string[]; badEvent?: string } = {}) {
  const batches: { ids: string[]; actors: (EventActor | null)[]; causes: (EventCause | null)[]; domainEvents: DomainEvent[][] }[] = [];
  const alone: { id: string; actor?: EventActor | null; cause: EventCause | null | undefined; domainEvents?: DomainEvent[] }[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const applier = {
    refreshManyWithEvents: async (ids: string[], _read: unknown, plan: BatchRefreshOptions, domainEventsOf: (id: string) => DomainEvent[]) => {
      batches.push({
        ids,
        actors: ids.map((id) => plan.actorOf(id)),
        causes: ids.map((id) => plan.causeOf(id)),
        domainEvents: ids.map((id) => domainEventsOf(id)),
      });
      if (batches.length > 1) await released;
      if (options.batchFails && ids.length > 1) throw new Error('one instance broke the batch');
      const stale = ids.filter((id) => options.staleInBatch?.includes(id));
      return { applied: new Map(ids.filter((id) => !stale.includes(id)).map((id) => [id, 1])), stale };
    },
    refresh: async (id: string, _read: unknown, origin: RefreshOptions) => {
      alone.push({ id, cause: origin.cause, ...(origin.domainEvents?.length ? { actor: origin.actor, domainEvents: origin.domainEvents } : {}) });
      if (id === options.failingAlone || origin.domainEvents?.some((event) => event.id === options.badEvent)) throw new Error(`${id} is broken`);
      return 2;
    },
  };
  const mirroredChanges = new MirroredChanges();
  const refresher = new InstanceRefresher(
    {} as MirroredOpenInstances,
    mirroredChanges,
    {} as InstanceSnapshotReader,
    applier as unknown as MirrorApplier,
    {} as DefinitionSync,
    { kick: () => undefined } as unknown as OutboxRelay,
    {} as ParkedInstances,
    { isOutage: async () => options.outage ?? false } as unknown as FailureTriage,
    new EventCauses(requests),
    requests,
  );
  return { refresher, batches, alone, release, mirroredChanges };
}

describe('InstanceRefresher real-time refreshes', () => {
  it('refreshes the first at once and gathers those that arrive while two batches run into one batch, each instance once', async () => {
    const { refresher, batches, release } = refresherWith();
    const answers = [
      refresher.refreshInstance('a'),
      refresher.refreshInstance('b', { actor: alice }),
      refresher.refreshInstance('c'),
      refresher.refreshInstance('d', { actor: alice }),
      refresher.refreshInstance('c', { actor: alice }),
    ];
    release();
    await expect(Promise.all(answers)).resolves.toEqual([1, 1, 1, 1, 1]);
    expect(batches.map((batch) => batch.ids)).toEqual([['a'], ['b'], ['c', 'd']]);
    // The caller who names themselves is the actor of the shared instance's events.
    expect(batches[2].actors).toEqual([alice, alice]);
  });

  it('counts a refresh as under way from the call, while it waits for a batch, until it answered or failed', async () => {
    const { refresher, release, mirroredChanges } = refresherWith({ batchFails: true, failingAlone: 'c' });
    const answers = ['a', 'b', 'c', 'd'].map((id) => refresher.refreshInstance(id).catch(() => 'failed'));
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => mirroredChanges.leaveToRefreshUnderWay(id, `task-created:${id}`))).toEqual([true, true, true, true, false]);
    release();
    await expect(Promise.all(answers)).resolves.toEqual([1, 1, 'failed', 2]);
    expect(['a', 'b', 'c', 'd'].map((id) => mirroredChanges.leaveToRefreshUnderWay(id, `task-created:${id}`))).toEqual([false, false, false, false]);
    // The stand-in applier mirrors nothing: every change left to these refreshes is owed.
    expect(mirroredChanges.owedRefreshes().sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refreshes each instance alone when a batch fails, so only the broken one fails its callers', async () => {
    const { refresher, alone, release } = refresherWith({ batchFails: true, failingAlone: 'c' });
    const answers = ['a', 'b', 'c', 'd', 'c'].map((id) => refresher.refreshInstance(id).then(String, (error: Error) => error.message));
    release();
    await expect(Promise.all(answers)).resolves.toEqual(['1', '1', 'c is broken', '2', 'c is broken']);
    expect(alone.map((refresh) => refresh.id).sort()).toEqual(['c', 'd']);
  });

  it('fails every caller of a batch that failed on an outage, without refreshing them one by one', async () => {
    const { refresher, alone, release } = refresherWith({ batchFails: true, outage: true });
    const answers = ['a', 'b', 'c', 'd'].map((id) => refresher.refreshInstance(id).then(String, (error: Error) => error.message));
    release();
    await expect(Promise.all(answers)).resolves.toEqual(['1', '1', 'one instance broke the batch', 'one instance broke the batch']);
    expect(alone).toEqual([]);
  });

  it("carries each caller's own request through a shared batch, not the request of whoever started it", async () => {
    const { refresher, batches, alone, release } = refresherWith();
    const ask = (requestId: string, id: string) => requests.run(requestId, () => refresher.refreshInstance(id, { actor: alice }));
    const answers = [ask('req-a', 'a'), ask('req-b', 'b'), ask('req-c', 'c'), ask('req-d', 'd'), ask('req-c2', 'c')];
    // Outside any request, without an actor: the events name whoever announced the change in flight, or no one.
    requests.run('req-e', () => refresher.expectChangeBy('e', alice));
    answers.push(refresher.refreshInstance('e'), refresher.refreshInstance('f'));
    release();
    await Promise.all(answers);
    expect(batches.map((batch) => batch.ids)).toEqual([['a'], ['b'], ['c', 'd', 'e', 'f']]);
    expect(batches.map((batch) => batch.causes)).toEqual([
      [{ requestId: 'req-a' }],
      [{ requestId: 'req-b' }],
      [{ requestId: 'req-c' }, { requestId: 'req-d' }, { requestId: 'req-e' }, null],
    ]);
    expect(alone).toEqual([]);
  });

  it('keeps the cause per instance when a failed batch is refreshed one instance at a time', async () => {
    const { refresher, alone, release } = refresherWith({ batchFails: true });
    const answers = ['a', 'b', 'c', 'd'].map((id) => requests.run(`req-${id}`, () => refresher.refreshInstance(id, { actor: alice })));
    release();
    await Promise.all(answers);
    expect(alone.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'c', cause: { requestId: 'req-c' } },
      { id: 'd', cause: { requestId: 'req-d' } },
    ]);
  });

  it("gives an external-task handler's events no request, unless a command on the instance is in flight", async () => {
    const { refresher, batches, release } = refresherWith();
    release();
    const domainEvents = [{ type: EventType.TicketProcessed, data: {} }];
    await refresher.refreshInstance('w1', { domainEvents });
    requests.run('req-complete', () => refresher.expectChangeBy('w2', alice));
    await refresher.refreshInstance('w2', { domainEvents });
    expect(batches).toEqual([
      { ids: ['w1'], actors: [null], causes: [null], domainEvents: [domainEvents] },
      { ids: ['w2'], actors: [alice], causes: [{ requestId: 'req-complete' }], domainEvents: [domainEvents] },
    ]);
  });

  const event = (id: string) => ({ id, type: EventType.TicketProcessed, data: {} });

  it("gathers handlers' events of different instances that arrive together into one batch", async () => {
    const { refresher, batches, release } = refresherWith();
    const answers = [
      refresher.refreshInstance('w0', { domainEvents: [event('e0')] }),
      refresher.refreshInstance('w1', { domainEvents: [event('e1')] }),
      refresher.refreshInstance('w2', { domainEvents: [event('e2')] }),
      refresher.refreshInstance('w3'),
      refresher.refreshInstance('w4', { domainEvents: [event('e4')] }),
    ];
    release();
    await expect(Promise.all(answers)).resolves.toEqual([1, 1, 1, 1, 1]);
    expect(batches.map((batch) => batch.ids)).toEqual([['w0'], ['w1'], ['w2', 'w3', 'w4']]);
    expect(batches[2].domainEvents).toEqual([[event('e2')], [], [event('e4')]]);
  });

  it("writes a handler's events alone when others asked for their instance too: their failure and their actor stay theirs", async () => {
    const { refresher, batches, alone, release } = refresherWith({ badEvent: 'bad' });
    const answers = [
      refresher.refreshInstance('a').then(String),
      refresher.refreshInstance('b').then(String),
      refresher.refreshInstance('x', { domainEvents: [event('bad')] }).then(String, (error: Error) => error.message),
      refresher.refreshInstance('x', { domainEvents: [event('good')] }).then(String, (error: Error) => error.message),
      refresher.refreshInstance('x', { actor: alice }).then(String, (error: Error) => error.message),
      refresher.refreshInstance('y').then(String),
    ];
    release();
    await expect(Promise.all(answers)).resolves.toEqual(['1', '1', 'x is broken', '2', '2', '1']);
    expect(batches.map((batch) => batch.ids)).toEqual([['a'], ['b'], ['y']]);
    expect(alone).toEqual([
      { id: 'x', cause: null, actor: null, domainEvents: [event('bad')] },
      { id: 'x', cause: null, actor: null, domainEvents: [event('good')] },
      { id: 'x', cause: null },
    ]);
  });

  it('refreshes alone an instance whose events met a stale snapshot in the batch, and only that one', async () => {
    const { refresher, alone, release } = refresherWith({ staleInBatch: ['s'] });
    release();
    const answers = [
      refresher.refreshInstance('first'),
      refresher.refreshInstance('second'),
      refresher.refreshInstance('s', { domainEvents: [event('e-s')] }),
      refresher.refreshInstance('t', { domainEvents: [event('e-t')] }),
    ];
    await expect(Promise.all(answers)).resolves.toEqual([1, 1, 2, 1]);
    expect(alone).toEqual([{ id: 's', cause: null, actor: null, domainEvents: [event('e-s')] }]);
  });

  it('keeps the events of each instance when a failed batch is refreshed one instance at a time', async () => {
    const { refresher, alone, release } = refresherWith({ batchFails: true });
    const answers = ['a', 'b', 'c', 'd'].map((id) => refresher.refreshInstance(id, { domainEvents: [event(`e-${id}`)] }));
    release();
    await expect(Promise.all(answers)).resolves.toEqual([1, 1, 2, 2]);
    expect(alone).toEqual([
      { id: 'c', cause: null, actor: null, domainEvents: [event('e-c')] },
      { id: 'd', cause: null, actor: null, domainEvents: [event('e-d')] },
    ]);
  });
});
