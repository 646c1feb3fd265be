import type { HistoryClient } from '../camunda/clients/history.client.js';
import type { TaskClient } from '../camunda/clients/task.client.js';
import { EngineChanges } from './engine-changes.js';

describe('EngineChanges', () => {
  it('reads every user operation since the position, past any page size', async () => {
    const operations = Array.from({ length: 5_200 }, (_, index) => ({ id: `op${index}`, processInstanceId: `p${index}`, entityType: 'Task' }));
    const none = async () => [];
    const history = {
      listHistoricProcessInstances: none,
      listHistoricTasks: none,
      listInstancesWithVariableUpdates: none,
      listHistoricIncidents: none,
      listUserOperations: async ({ firstResult, maxResults }: { firstResult: number; maxResults: number }) => operations.slice(firstResult, firstResult + maxResults),
    } as unknown as HistoryClient;
    const changes = await new EngineChanges(history, { listOpenTasks: none } as unknown as TaskClient).since(new Date(0));
    expect(changes.instanceIds.size).toBe(5_200);
    expect(changes.instanceIds.has('p5199')).toBe(true);
    expect(changes.definitionsChanged).toBe(false);
  });
});
