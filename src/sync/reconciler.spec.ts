import type { HistoryClient } from '../camunda/clients/history.client.js';
import type { TaskClient } from '../camunda/clients/task.client.js';
import { EngineInstanceState, type EngineProcessInstance, type OpenTaskState } from '../camunda/camunda.models.js';
import type { MirroredOpenRows, MirroredOpenTask, RowKey } from './mirrored-open-rows.js';
import type { MirrorContentCheck } from './content-check.js';
import { Reconciler } from './reconciler.js';

const ROWS = 2_500;
const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + Math.floor(n / 3) * 1_000);
const id = (n: number) => `i${String(n).padStart(5, '0')}`;

const engineInstance = (n: number): EngineProcessInstance => ({
  id: id(n),
  definitionId: 'd:1',
  definitionKey: 'd',
  definitionName: null,
  definitionVersion: 1,
  businessKey: null,
  tenantId: null,
  state: EngineInstanceState.Active,
  startedAt: at(n),
  endedAt: null,
  deleteReason: null,
  startUserId: null,
});
const engineTask = (n: number): OpenTaskState => ({
  id: `t${id(n)}`,
  processInstanceId: id(n),
  name: 'Approve',
  assignee: null,
  priority: 50,
  dueAt: null,
  createdAt: at(n),
  suspended: false,
});

const after = (key: { at: Date; id: string }, bound: RowKey | null) =>
  !bound || key.at > bound.at || (key.at.getTime() === bound.at.getTime() && key.id > bound.id);
const upTo = (key: { at: Date; id: string }, bound: RowKey | null) => !bound || !after(key, bound);
const sorted = <T extends { id: string }>(rows: T[], time: (row: T) => Date) =>
  [...rows].sort((a, b) => time(a).getTime() - time(b).getTime() || a.id.localeCompare(b.id));

function reconciler(
  engineInstances: EngineProcessInstance[],
  mirrorInstances: { id: string; state: string; definitionId: string; startedAt: Date }[],
  engineTasks: OpenTaskState[],
  mirrorTasks: MirroredOpenTask[],
  differingContents: Set<string> = new Set(),
  comparedContents: string[] = [],
  mendedMeanwhile: Set<string> = new Set(),
) {
  const contents = {
    begin: async () => async (instances: EngineProcessInstance[]) => {
      comparedContents.push(...instances.map((instance) => instance.id));
      return new Set(instances.map((instance) => instance.id).filter((instanceId) => differingContents.has(instanceId)));
    },
    confirmed: async (instanceIds: Iterable<string>) => new Set([...instanceIds].filter((instanceId) => !mendedMeanwhile.has(instanceId))),
  } as unknown as MirrorContentCheck;
  const inclusive = <T extends { id: string }>(rows: T[], time: (row: T) => Date, from: Date | null, skip: number, max: number) =>
    sorted(
      rows.filter((row) => !from || time(row) >= from),
      time,
    ).slice(skip, skip + max);
  const history = {
    listHistoricProcessInstancesByStart: async (filter: { startedAfter?: Date }, page: { firstResult: number; maxResults: number }) =>
      inclusive(engineInstances, (row) => row.startedAt, filter.startedAfter ?? null, page.firstResult, page.maxResults),
  } as unknown as HistoryClient;
  const tasks = {
    listOpenTasksByCreation: async (from: Date | null, page: { firstResult: number; maxResults: number }) =>
      inclusive(engineTasks, (row) => row.createdAt, from, page.firstResult, page.maxResults),
  } as unknown as TaskClient;
  const mirror = {
    instancesBetween: async (from: RowKey | null, to: RowKey | null, limit: number) =>
      sorted(mirrorInstances, (row) => row.startedAt)
        .filter((row) => after({ at: row.startedAt, id: row.id }, from) && upTo({ at: row.startedAt, id: row.id }, to))
        .slice(0, limit),
    tasksBetween: async (from: RowKey | null, to: RowKey | null, limit: number) =>
      sorted(mirrorTasks, (row) => row.createdAt)
        .filter((row) => after({ at: row.createdAt, id: row.id }, from) && upTo({ at: row.createdAt, id: row.id }, to))
        .slice(0, limit),
  } as unknown as MirroredOpenRows;
  return new Reconciler(history, tasks, mirror, contents);
}

async function drift(subject: Reconciler): Promise<{ checked: number; suspects: string[] }> {
  let checked = 0;
  const suspects = new Set<string>();
  for await (const page of subject.drift()) {
    checked += page.checked;
    for (const suspect of page.suspects) suspects.add(suspect);
  }
  return { checked, suspects: [...suspects].sort() };
}

describe('Reconciler', () => {
  const numbers = Array.from({ length: ROWS }, (_, n) => n);

  it('finds nothing when both sides agree, having compared every row of both', async () => {
    const instances = numbers.map(engineInstance);
    const tasks = numbers.map(engineTask);
    const subject = reconciler(
      instances,
      instances.map((row) => ({ ...row })),
      tasks,
      tasks.map((task) => ({ ...task })),
    );
    await expect(drift(subject)).resolves.toEqual({ checked: 4 * ROWS, suspects: [] });
  });

  it('finds each kind of drift, wherever its page boundary falls', async () => {
    const instances = numbers.filter((n) => n !== 7 && n !== 1_500).map(engineInstance);
    const mirrorInstances = numbers
      .filter((n) => n !== 999)
      .map((n) => ({ ...engineInstance(n), ...(n === 2_000 ? { definitionId: 'd:2' } : {}), ...(n === 2_499 ? { state: 'SUSPENDED' } : {}) }));
    const tasks = numbers
      .filter((n) => n !== 1_000)
      .map((n) => ({ ...engineTask(n), ...(n === 42 ? { assignee: 'mary' } : {}), ...(n === 1_234 ? { dueAt: new Date(0) } : {}) }));
    const mirrorTasks = numbers.filter((n) => n !== 2_222).map(engineTask);
    const subject = reconciler(instances, mirrorInstances, tasks, mirrorTasks);
    const found = await drift(subject);
    // 7 and 1500: open in the mirror only; 999: in the engine only; 2000: migrated; 2499: suspended; tasks: 1000
    // open in the mirror only, 2222 in the engine only, 42 reassigned, 1234 given a due date.
    expect(found.suspects).toEqual([7, 42, 999, 1_000, 1_234, 1_500, 2_000, 2_222, 2_499].map(id));
  });

  it('compares the contents of every instance open on both sides exactly once, and reports those that differ', async () => {
    const instances = numbers.filter((n) => n !== 7).map(engineInstance);
    const mirrorInstances = numbers.filter((n) => n !== 999).map((n) => ({ ...engineInstance(n), ...(n === 2_000 ? { definitionId: 'd:2' } : {}) }));
    const tasks = numbers.map(engineTask);
    const compared: string[] = [];
    const subject = reconciler(instances, mirrorInstances, tasks, tasks, new Set([id(3), id(1_000), id(2_400)]), compared);
    const found = await drift(subject);

    expect(found.suspects).toEqual([3, 7, 999, 1_000, 2_000, 2_400].map(id));
    // Instances the walk already found out of step (7, 999, 2000) are suspects anyway: the walk's content check skips them.
    expect([...compared].sort()).toEqual(numbers.filter((n) => ![7, 999, 2_000].includes(n)).map(id));
  });

  it('leaves out what no longer differs when read again: a poll mended it while the page was compared', async () => {
    const instances = numbers.map(engineInstance);
    const mirrorInstances = numbers.map((n) => ({ ...engineInstance(n), ...(n === 10 || n === 1_010 ? { state: 'SUSPENDED' } : {}) }));
    const tasks = numbers.map(engineTask);
    const mirrorTasks = numbers.map((n) => ({ ...engineTask(n), ...(n === 20 ? { assignee: 'ghost' } : {}) }));
    const subject = reconciler(instances, mirrorInstances, tasks, mirrorTasks, new Set([id(30)]), [], new Set([id(10), id(20), id(30)]));
    await expect(drift(subject)).resolves.toMatchObject({ suspects: [id(1_010)] });
  });
});
