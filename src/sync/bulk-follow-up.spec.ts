import { EngineInstanceState, type EngineProcessInstance, type EngineUserOperation } from '../camunda/camunda.models.js';
import type { HistoryClient } from '../camunda/clients/history.client.js';
import { BulkFollowUp } from './bulk-follow-up.js';
import type { MirroredOpenInstances } from './mirrored-open-instances.js';

function onEngine(id: string, definitionId: string, state: EngineInstanceState): EngineProcessInstance {
  return { id, definitionId, state } as EngineProcessInstance;
}

describe('BulkFollowUp', () => {
  const mirrored = {
    all: async () => [{ id: 'p1', state: EngineInstanceState.Active, definitionId: 'order:1' }],
    ofDefinitions: async () => [{ id: 'p2', state: EngineInstanceState.Active, definitionId: 'order:1' }],
  } as unknown as MirroredOpenInstances;

  function engineAsked() {
    const asked: unknown[] = [];
    const history = {
      listFinishedBatches: async (query: unknown) => (asked.push(query), [{ id: 'b1', type: 'instance-migration', endedAt: new Date(5_000) }]),
      listHistoricProcessInstances: async (query: unknown) => (asked.push(query), [onEngine('p2', 'order:1', EngineInstanceState.Suspended)]),
    } as unknown as HistoryClient;
    return { asked, followUp: new BulkFollowUp(history, mirrored) };
  }

  it('asks for the latest finished batch only, and nothing more when no bulk operation happened', async () => {
    const { asked, followUp } = engineAsked();
    expect(await followUp.batchEndedSince(new Date(6_000))).toBeNull();
    expect(await followUp.batchEndedSince(new Date(5_000))).toBe('b1');
    expect(await followUp.instancesToRefresh([], false)).toEqual(new Set());
    expect(asked).toEqual([expect.objectContaining({ maxResults: 1 }), expect.objectContaining({ maxResults: 1 })]);
  });

  it('compares the open instances of a definition suspended in bulk', async () => {
    const { asked, followUp } = engineAsked();
    const suspension = { operationId: 'op1', entityType: 'ProcessInstance', operationType: 'Suspend', processInstanceId: null, processDefinitionId: 'order:1' };
    expect(await followUp.instancesToRefresh([suspension as EngineUserOperation], false)).toEqual(new Set(['p2']));
    expect(asked).toEqual([expect.objectContaining({ unfinished: true, processDefinitionId: 'order:1' })]);
  });

  it('compares every open instance once a batch ended', async () => {
    const { asked, followUp } = engineAsked();
    expect(await followUp.instancesToRefresh([], true)).toEqual(new Set(['p1', 'p2']));
    expect(asked).toEqual([{ unfinished: true, firstResult: 0, maxResults: 500 }]);
  });
});
