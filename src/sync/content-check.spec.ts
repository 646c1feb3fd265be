import type { DataSource } from 'typeorm';
import { EngineInstanceState, type EngineProcessInstance } from '../camunda/camunda.models.js';
import { InstanceState } from '../mirror/process-instance.entity.js';
import type { CandidateIndexBuilder } from './candidate-index.js';
import { MirrorContentCheck } from './content-check.js';
import type { FailureTriage } from './failure-triage.js';
import type { InstanceSnapshot } from './instance-snapshot.js';
import type { InstanceSnapshotReader, ReadAhead } from './instance-snapshot-reader.js';
import type { MirroredContents, MirrorStore } from './mirror-store.js';

const startedAt = new Date('2026-12-01T10:00:00.000Z');
const OUTAGE = new Error('engine unreachable');

const snapshotOf = (id: string, businessKey = 'same'): InstanceSnapshot => ({
  id,
  definitionId: 'd:1',
  definitionKey: 'd',
  businessKey,
  tenantId: null,
  state: InstanceState.Active,
  startedAt,
  endedAt: null,
  deleteReason: null,
  startedBy: null,
  tasks: [],
  variables: [],
  incidents: [],
});
const mirroredOf = (id: string): MirroredContents => ({
  instance: { ...snapshotOf(id), escapedFields: [], lastEventSequence: 1, lastSyncedAt: startedAt, snapshotReadAt: startedAt },
  tasks: [],
  variables: [],
  incidents: [],
});
const listed = (id: string) => ({ id, startedAt, state: EngineInstanceState.Active }) as EngineProcessInstance;

/** An engine where some instances cannot be read, some differ from the mirror, and one read fails as an outage. */
function check(options: { unreadable?: string[]; differing?: string[]; outage?: string; indexFails?: boolean }) {
  const reads: { ids: string[]; ahead: ReadAhead }[] = [];
  const reader = {
    readMany: async (ids: string[], ahead: ReadAhead) => {
      reads.push({ ids, ahead });
      if (options.outage && ids.includes(options.outage)) throw OUTAGE;
      if (ids.some((id) => options.unreadable?.includes(id))) throw new Error('Json variable cannot be parsed');
      return new Map(ids.map((id) => [id, snapshotOf(id, options.differing?.includes(id) ? 'changed' : 'same')]));
    },
  } as unknown as InstanceSnapshotReader;
  const mirror = { loadWithVariables: async (_: unknown, ids: string[]) => new Map(ids.map((id) => [id, mirroredOf(id)])) } as unknown as MirrorStore;
  const index = {
    build: async (asOf: Date) => {
      if (options.indexFails) throw new Error('log pages did not parse');
      return { asOf, candidatesOf: () => undefined };
    },
  } as unknown as CandidateIndexBuilder;
  const triage = { isOutage: async (error: unknown) => error === OUTAGE } as unknown as FailureTriage;
  return { subject: new MirrorContentCheck({ manager: {} } as DataSource, reader, mirror, index, triage), reads };
}

const ids = Array.from({ length: 450 }, (_, n) => `p${n}`);

describe('MirrorContentCheck', () => {
  it('reads the walk’s instances in batches with its rows and the candidate index, and finds those that differ', async () => {
    const { subject, reads } = check({ differing: ['p3', 'p420'] });
    const compare = await subject.begin();
    await expect(compare(ids.map(listed))).resolves.toEqual(new Set(['p3', 'p420']));
    expect(reads.map((read) => read.ids.length)).toEqual([200, 200, 50]);
    expect(reads.every((read) => read.ahead.candidates !== undefined && read.ahead.instances?.rows.length === read.ids.length)).toBe(true);
  });

  it('makes only the instance it cannot read a suspect, not the rest of its batch', async () => {
    const { subject } = check({ unreadable: ['p7'], differing: ['p250'] });
    const compare = await subject.begin();
    await expect(compare(ids.map(listed))).resolves.toEqual(new Set(['p7', 'p250']));
  });

  it('confirms suspects with a fresh read, nothing read ahead', async () => {
    const { subject, reads } = check({ differing: ['p1'] });
    await expect(subject.confirmed(['p1', 'p2'])).resolves.toEqual(new Set(['p1']));
    expect(reads).toEqual([{ ids: ['p1', 'p2'], ahead: {} }]);
  });

  it('lets an outage through, so the reconcile stops and is retried', async () => {
    const { subject } = check({ outage: 'p300' });
    const compare = await subject.begin();
    await expect(compare(ids.map(listed))).rejects.toBe(OUTAGE);
  });

  it('goes on without the candidate index when it fails to build', async () => {
    const { subject, reads } = check({ indexFails: true, differing: ['p0'] });
    const compare = await subject.begin();
    await expect(compare(ids.slice(0, 2).map(listed))).resolves.toEqual(new Set(['p0']));
    expect(reads[0].ahead.candidates).toBeUndefined();
  });
});
