import type { EngineUserOperation } from '../camunda/camunda.models.js';
import type { HistoryClient } from '../camunda/clients/history.client.js';
import type { BulkFollowUp } from './bulk-follow-up.js';
import { EngineChanges } from './engine-changes.js';
import type { UpdatedTasks } from './updated-tasks.js';

describe('EngineChanges', () => {
  const none = async () => [];
  const quietHistory = {
    listHistoricProcessInstances: none,
    listHistoricTasks: none,
    listInstancesWithVariableUpdates: none,
    listHistoricIncidents: none,
    listUserOperations: none,
  };
  const noUpdatedTasks = { since: none } as unknown as UpdatedTasks;
  const noBulk = { batchEndedSince: async () => false, instancesToRefresh: async () => new Set<string>() } as unknown as BulkFollowUp;

  it('reads every user operation since the position, past any page size', async () => {
    const operations = Array.from({ length: 5_200 }, (_, index) => ({ id: `op${index}`, processInstanceId: `p${index}`, entityType: 'Task' }));
    const history = {
      ...quietHistory,
      listUserOperations: async ({ firstResult, maxResults }: { firstResult: number; maxResults: number }) => operations.slice(firstResult, firstResult + maxResults),
    } as unknown as HistoryClient;
    const changes = await new EngineChanges(history, noUpdatedTasks, noBulk).since(new Date(0));
    expect(changes.instanceIds.size).toBe(5_200);
    expect(changes.instanceIds.has('p5199')).toBe(true);
    expect(changes.definitionsChanged).toBe(false);
  });

  it('adds the instances a bulk operation or a finished batch touched', async () => {
    const suspendByDefinition = { id: 'op1', operationId: 'op1', entityType: 'ProcessInstance', processInstanceId: null, processDefinitionId: 'order:1' };
    const asked: { operations: EngineUserOperation[]; batchEnded: boolean }[] = [];
    const bulk = {
      batchEndedSince: async () => true,
      instancesToRefresh: async (operations: EngineUserOperation[], batchEnded: boolean) => {
        asked.push({ operations, batchEnded });
        return new Set(['p1', 'p2']);
      },
    } as unknown as BulkFollowUp;
    const history = { ...quietHistory, listUserOperations: async () => [suspendByDefinition] } as unknown as HistoryClient;
    const changes = await new EngineChanges(history, noUpdatedTasks, bulk).since(new Date(0));
    expect([...changes.instanceIds].sort()).toEqual(['p1', 'p2']);
    expect(asked).toEqual([{ operations: [suspendByDefinition], batchEnded: true }]);
  });
});
