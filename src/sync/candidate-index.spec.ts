import type { HistoryClient } from '../camunda/clients/history.client.js';
import type { TaskClient } from '../camunda/clients/task.client.js';
import type { CandidateLinkChange } from '../camunda/camunda.models.js';
import { CandidateIndexBuilder } from './candidate-index.js';

const at = new Date('2026-01-01T00:00:00Z');
const change = (taskId: string, operation: 'add' | 'delete', link: { userId?: string; groupId?: string }): CandidateLinkChange => ({
  taskId,
  operation,
  userId: link.userId ?? null,
  groupId: link.groupId ?? null,
  at,
});

function builder(log: CandidateLinkChange[], options: { oldest?: Date | null; count?: number } = {}): { build: CandidateIndexBuilder; reads: number[] } {
  const reads: number[] = [];
  const history = {
    countCandidateLinkChanges: async () => options.count ?? log.length,
    listCandidateLinkChanges: async ({ firstResult, maxResults }: { firstResult: number; maxResults: number }) => {
      reads.push(firstResult);
      return log.slice(firstResult, firstResult + maxResults);
    },
  } as unknown as HistoryClient;
  const tasks = { oldestOpenTaskCreatedAt: async () => (options.oldest === undefined ? at : options.oldest) } as unknown as TaskClient;
  return { build: new CandidateIndexBuilder(history, tasks), reads };
}

describe('CandidateIndexBuilder', () => {
  it('replays adds and deletes in log order into each task’s candidates', async () => {
    const { build } = builder([
      change('t1', 'add', { groupId: 'managers' }),
      change('t1', 'add', { userId: 'mary' }),
      change('t2', 'add', { groupId: 'clerks' }),
      change('t1', 'delete', { groupId: 'managers' }),
      change('t1', 'add', { groupId: 'auditors' }),
    ]);
    const index = await build.build(at);
    expect(index?.candidatesOf('t1')).toEqual({ users: ['mary'], groups: ['auditors'] });
    expect(index?.candidatesOf('t2')).toEqual({ users: [], groups: ['clerks'] });
  });

  it('knows nothing of a task the log does not mention, so it is asked about', async () => {
    const index = await builder([change('t1', 'add', { groupId: 'managers' })]).build.build(at);
    expect(index?.candidatesOf('unmentioned')).toBeUndefined();
  });

  it('knows a task whose candidates were all removed: it has none', async () => {
    const index = await builder([change('t1', 'add', { groupId: 'managers' }), change('t1', 'delete', { groupId: 'managers' })]).build.build(at);
    expect(index?.candidatesOf('t1')).toEqual({ users: [], groups: [] });
  });

  it('reads the log page by page to its end', async () => {
    const log = Array.from({ length: 2_500 }, (_, index) => change(`t${index}`, 'add', { groupId: 'g' }));
    const { build, reads } = builder(log);
    const index = await build.build(at);
    expect(reads).toEqual([0, 1_000, 2_000]);
    expect(index?.candidatesOf('t2499')).toEqual({ users: [], groups: ['g'] });
  });

  it('builds no index when no task is open or the log is too long to hold', async () => {
    await expect(builder([], { oldest: null }).build.build(at)).resolves.toBeNull();
    const { build, reads } = builder([], { count: 500_001 });
    await expect(build.build(at)).resolves.toBeNull();
    expect(reads).toEqual([]);
  });
});
