import type { EventActor } from '../events/event-types.js';
import type { OutboxRelay } from '../events/outbox-relay.js';
import type { DefinitionSync } from './definition-sync.js';
import type { FailureTriage } from './failure-triage.js';
import type { InstanceSnapshotReader } from './instance-snapshot-reader.js';
import { InstanceRefresher } from './instance-refresher.js';
import type { MirrorApplier } from './mirror-applier.js';
import type { MirroredOpenInstances } from './mirrored-open-instances.js';
import type { ParkedInstances } from './parked-instances.js';

const alice = { kind: 'user', localId: 'alice' } as unknown as EventActor;

/** A refresher over stand-ins: batch refreshes wait on `release`, single ones answer at once. */
function refresherWith(options: { batchFails?: boolean; failingAlone?: string; outage?: boolean } = {}) {
  const batches: { ids: string[]; actors: (EventActor | null)[] }[] = [];
  const alone: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const applier = {
    refreshMany: async (ids: string[], _read: unknown, plan: { actorOf: (id: string) => EventActor | null }) => {
      batches.push({ ids, actors: ids.map((id) => plan.actorOf(id)) });
      if (batches.length > 1) await released;
      if (options.batchFails && ids.length > 1) throw new Error('one instance broke the batch');
      return new Map(ids.map((id) => [id, 1]));
    },
    refresh: async (id: string) => {
      alone.push(id);
      if (id === options.failingAlone) throw new Error(`${id} is broken`);
      return 2;
    },
  };
  const refresher = new InstanceRefresher(
    {} as MirroredOpenInstances,
    {} as InstanceSnapshotReader,
    applier as unknown as MirrorApplier,
    {} as DefinitionSync,
    { kick: () => undefined } as unknown as OutboxRelay,
    {} as ParkedInstances,
    { isOutage: async () => options.outage ?? false } as unknown as FailureTriage,
  );
  return { refresher, batches, alone, release };
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

  it('refreshes each instance alone when a batch fails, so only the broken one fails its callers', async () => {
    const { refresher, alone, release } = refresherWith({ batchFails: true, failingAlone: 'c' });
    const answers = ['a', 'b', 'c', 'd', 'c'].map((id) => refresher.refreshInstance(id).then(String, (error: Error) => error.message));
    release();
    await expect(Promise.all(answers)).resolves.toEqual(['1', '1', 'c is broken', '2', 'c is broken']);
    expect(alone.sort()).toEqual(['c', 'd']);
  });

  it('fails every caller of a batch that failed on an outage, without refreshing them one by one', async () => {
    const { refresher, alone, release } = refresherWith({ batchFails: true, outage: true });
    const answers = ['a', 'b', 'c', 'd'].map((id) => refresher.refreshInstance(id).then(String, (error: Error) => error.message));
    release();
    await expect(Promise.all(answers)).resolves.toEqual(['1', '1', 'one instance broke the batch', 'one instance broke the batch']);
    expect(alone).toEqual([]);
  });
});
