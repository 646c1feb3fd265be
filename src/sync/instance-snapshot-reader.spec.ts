import type { HistoryClient } from '../camunda/clients/history.client.js';
import type { TaskClient } from '../camunda/clients/task.client.js';
import { CamundaError, CamundaErrorCode } from '../camunda/camunda.errors.js';
import { EngineInstanceState, type EngineProcessInstance, type EngineTask } from '../camunda/camunda.models.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { InstanceSnapshotReader } from './instance-snapshot-reader.js';

const instance = (id: string, state = EngineInstanceState.Suspended): EngineProcessInstance => ({
  id,
  definitionId: 'd:1',
  definitionKey: 'd',
  definitionName: null,
  definitionVersion: 1,
  businessKey: null,
  tenantId: null,
  state,
  startedAt: new Date(0),
  endedAt: null,
  deleteReason: null,
  startUserId: null,
});

const task = (id: string, endedAt: Date | null): EngineTask => ({
  id,
  processInstanceId: 'p1',
  processDefinitionKey: 'd',
  name: 'Approve',
  description: null,
  taskDefinitionKey: 'approve',
  assignee: null,
  owner: null,
  priority: 50,
  createdAt: new Date(0),
  dueAt: null,
  followUpAt: null,
  endedAt,
  deleteReason: endedAt ? 'completed' : null,
  tenantId: null,
});

const asked: string[] = [];

function reader(answer: () => Promise<EngineProcessInstance[]>, tasks: EngineTask[] = []): InstanceSnapshotReader {
  const history = {
    listHistoricProcessInstancesByStart: answer,
    listHistoricTasks: async ({ firstResult }: { firstResult: number }) => (firstResult === 0 ? tasks : []),
    listHistoricVariablesOf: async () => [],
    listHistoricIncidents: async () => [],
  } as unknown as HistoryClient;
  const taskClient = {
    getTaskCandidates: async (id: string) => {
      asked.push(id);
      return { users: [], groups: ['managers'] };
    },
    listTaskIdsWithCandidates: async (_: string[], of: string, { firstResult }: { firstResult: number }) => (of === 'groups' && firstResult === 0 ? ['b'] : []),
  } as unknown as TaskClient;
  return new InstanceSnapshotReader(history, taskClient, { CAMUNDA_USER: 'demo' } as GatewayConfig);
}

describe('InstanceSnapshotReader', () => {
  it('reports an instance gone only when the query for its id answers with no row', async () => {
    await expect(reader(async () => []).read('p1')).resolves.toBeNull();
  });

  it('never takes a failed read for absence, a 404 included', async () => {
    const notFound = new CamundaError(CamundaErrorCode.NotFound, 'Historic process instance with id p1 does not exist');
    await expect(reader(() => Promise.reject(notFound)).read('p1')).rejects.toBe(notFound);
  });

  it('refuses an answer about another instance', async () => {
    await expect(reader(async () => [instance('p2')]).read('p1')).rejects.toThrow(/p2/);
  });

  it('reads a batch, with null for each id history has no record of', async () => {
    const snapshots = await reader(async () => [instance('p1'), instance('p3')]).readMany(['p1', 'p2', 'p3']);
    expect([...snapshots].map(([id, snapshot]) => [id, snapshot?.id ?? null])).toEqual([
      ['p1', 'p1'],
      ['p2', null],
      ['p3', 'p3'],
    ]);
  });

  it('reads the instance when the engine has it', async () => {
    await expect(reader(async () => [instance('p1')]).read('p1')).resolves.toMatchObject({ id: 'p1', state: EngineInstanceState.Suspended, tasks: [] });
  });

  it('asks for one instance, its variables, incidents and tasks at once, not after one another', async () => {
    const requested: string[] = [];
    let answerInstance = () => undefined as void;
    const instanceAnswered = new Promise<void>((resolve) => (answerInstance = resolve));
    const history = {
      listHistoricProcessInstancesByStart: async () => {
        requested.push('instance');
        await instanceAnswered;
        return [instance('p1')];
      },
      listHistoricVariablesOf: async () => (requested.push('variables'), []),
      listHistoricIncidents: async () => (requested.push('incidents'), []),
      listHistoricTasks: async () => (requested.push('tasks'), []),
    } as unknown as HistoryClient;
    const read = new InstanceSnapshotReader(history, {} as TaskClient, { CAMUNDA_USER: 'demo' } as GatewayConfig).read('p1');
    await new Promise((resolve) => setImmediate(resolve));
    expect(requested.sort()).toEqual(['incidents', 'instance', 'tasks', 'variables']);
    answerInstance();
    await expect(read).resolves.toMatchObject({ id: 'p1' });
  });

  it('marks the open tasks of a suspended instance suspended, not its ended ones', async () => {
    const snapshot = await reader(async () => [instance('p1')], [task('open', null), task('done', new Date(1))]).read('p1');
    expect(snapshot?.tasks.map(({ id, suspended, candidateGroups }) => ({ id, suspended, candidateGroups }))).toEqual([
      { id: 'open', suspended: true, candidateGroups: ['managers'] },
      { id: 'done', suspended: false, candidateGroups: undefined },
    ]);
  });

  it('asks for the candidates only of the tasks the engine lists as having any', async () => {
    asked.length = 0;
    const snapshot = await reader(async () => [instance('p1')], [task('a', null), task('b', null), task('c', null)]).read('p1');
    expect(asked).toEqual(['b']);
    expect(snapshot?.tasks.map(({ id, candidateGroups }) => [id, candidateGroups])).toEqual([
      ['a', []],
      ['b', ['managers']],
      ['c', []],
    ]);
  });

  it('takes known candidates instead of asking', async () => {
    asked.length = 0;
    const known = { asOf: new Date(0), candidatesOf: (id: string) => (id === 'open' ? { users: ['mary'], groups: [] } : undefined) };
    const snapshots = await reader(async () => [instance('p1')], [task('open', null)]).readMany(['p1'], { candidates: known });
    expect(asked).toEqual([]);
    expect(snapshots.get('p1')?.tasks[0]).toMatchObject({ candidateUsers: ['mary'], candidateGroups: [] });
  });

  it('asks history only for the instances not read ahead, and never takes an id missing from the read ahead as gone', async () => {
    const queried: string[][] = [];
    const snapshots = await reader(async (...args: unknown[]) => {
      const { processInstanceIds: ids, withIncidents } = args[0] as { processInstanceIds: string[]; withIncidents?: boolean };
      if (withIncidents) return [];
      queried.push(ids);
      return ids.map((id) => instance(id));
    }).readMany(['p1', 'p2'], { instances: { rows: [instance('p1')], readAt: new Date(0) } });
    expect(queried).toEqual([['p2']]);
    expect([...snapshots.values()].map((snapshot) => snapshot?.id)).toEqual(['p1', 'p2']);
  });

  it('reads tasks per instance once the business keys turn out to be shared by far more tasks', async () => {
    const keyed = (id: string) => ({ ...instance(id, EngineInstanceState.Active), businessKey: 'SHARED' });
    const perInstance: string[] = [];
    const pages: number[] = [];
    const history = {
      listHistoricProcessInstancesByStart: async (filter: { withIncidents?: boolean }) => (filter.withIncidents ? [] : [keyed('p1'), keyed('p2')]),
      listHistoricTasksOfBusinessKeys: async (_: string[], { firstResult, maxResults }: { firstResult: number; maxResults: number }) => {
        pages.push(firstResult);
        return Array.from({ length: maxResults }, (_, index) => ({ ...task(`other${firstResult + index}`, new Date(0)), processInstanceId: `other${index}` }));
      },
      listHistoricTasks: async ({ processInstanceId, firstResult }: { processInstanceId: string; firstResult: number }) => {
        if (firstResult === 0) perInstance.push(processInstanceId);
        return firstResult === 0 ? [{ ...task(`t-${processInstanceId}`, new Date(0)), processInstanceId }] : [];
      },
      listHistoricVariablesOf: async () => [],
      listHistoricIncidents: async () => [],
    } as unknown as HistoryClient;
    const snapshots = await new InstanceSnapshotReader(history, {} as TaskClient, { CAMUNDA_USER: 'demo' } as GatewayConfig).readMany(['p1', 'p2']);
    expect(pages).toEqual([0]);
    expect(perInstance.sort()).toEqual(['p1', 'p2']);
    expect(snapshots.get('p2')?.tasks.map((each) => each.id)).toEqual(['t-p2']);
  });
});
