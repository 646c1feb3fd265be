import type { HistoryClient } from '../camunda/clients/history.client.js';
import type { TaskClient } from '../camunda/clients/task.client.js';
import type { CandidateLinkChange } from '../camunda/camunda.models.js';
import { CandidateIndexBuilder } from './candidate-index.js';

const at = new Date('2026-01-01T00:00:00Z');
let next = 0;
const change = (taskId: string, operation: 'add' | 'delete', link: { userId?: string; groupId?: string }): CandidateLinkChange => ({
  id: `e${next++}`,
  taskId,
  operation,
  userId: link.userId ?? null,
  groupId: link.groupId ?? null,
  at: new Date(at.getTime() + next),
});

function builder(log: CandidateLinkChange[], options: { oldest?: Date | null; count?: number; pages?: (first: number) => CandidateLinkChange[] } = {}) {
  const reads: number[] = [];
  const history = {
    countCandidateLinkChanges: async () => options.count ?? log.length,
    listCandidateLinkChanges: async ({ firstResult, maxResults }: { firstResult: number; maxResults: number }) => {
      reads.push(firstResult);
      return options.pages ? options.pages(firstResult) : log.slice(firstResult, firstResult + maxResults);
    },
  } as unknown as HistoryClient;
  const tasks = { oldestOpenTaskCreatedAt: async () => (options.oldest === undefined ? at : options.oldest) } as unknown as TaskClient;
  return { build: new CandidateIndexBuilder(history, tasks), reads };
}

describe('CandidateIndexBuilder', () => {
  it('gives each task the candidates its log adds', async () => {
    const index = await builder([
      change('t1', 'add', { groupId: 'managers' }),
      change('t1', 'add', { userId: 'mary' }),
      change('t2', 'add', { groupId: 'clerks' }),
      change('t1', 'add', { groupId: 'auditors' }),
    ]).build.build(at);
    expect(index?.candidatesOf('t1')).toEqual({ users: ['mary'], groups: ['managers', 'auditors'] });
    expect(index?.candidatesOf('t2')).toEqual({ users: [], groups: ['clerks'] });
  });

  it('leaves to the engine a task the log does not mention, or one whose candidates were ever removed', async () => {
    const index = await builder([
      change('t1', 'add', { groupId: 'managers' }),
      change('t1', 'delete', { groupId: 'managers' }),
      change('t2', 'add', { groupId: 'g' }),
    ]).build.build(at);
    expect(index?.candidatesOf('unmentioned')).toBeUndefined();
    expect(index?.candidatesOf('t1')).toBeUndefined();
    expect(index?.candidatesOf('t2')).toEqual({ users: [], groups: ['g'] });
  });

  it('reads the log page by page to its end, an entry repeated across pages counted once', async () => {
    const log = Array.from({ length: 2_500 }, (_, index) => change(`t${index}`, 'add', { groupId: 'g' }));
    // The engine pages by time alone: one entry shows on two pages.
    const { build, reads } = builder(log, { pages: (first) => (first === 1_000 ? [log[999], ...log.slice(1_000, 1_999)] : log.slice(first, first + 1_000)) });
    const index = await build.build(at);
    expect(reads).toEqual([0, 1_000, 2_000]);
    // ...and so another was skipped: the read does not add up, nothing is kept.
    expect(index).toBeNull();
  });

  it('keeps the index when the distinct entries read are the count', async () => {
    const log = Array.from({ length: 2_500 }, (_, index) => change(`t${index}`, 'add', { groupId: 'g' }));
    const index = await builder(log).build.build(at);
    expect(index?.candidatesOf('t2499')).toEqual({ users: [], groups: ['g'] });
  });

  it('builds no index when no task is open or the log is too long to hold', async () => {
    await expect(builder([], { oldest: null }).build.build(at)).resolves.toBeNull();
    const { build, reads } = builder([], { count: 500_001 });
    await expect(build.build(at)).resolves.toBeNull();
    expect(reads).toEqual([]);
  });
});
