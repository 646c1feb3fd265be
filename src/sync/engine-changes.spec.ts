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
  const noBulk = { batchEndedSince: async () => null, instancesToRefresh: async () => new Set<string>() } as unknown as BulkFollowUp;

  it('reads every user operation since the position, past any page size', async () => {
    const operations = Array.from({ length: 5_200 }, (_, index) => ({ id: `op${index}`, processInstanceId: `p${index}`, entityType: 'Task' }));
    const history = {
      ...quietHistory,
      listUserOperations: async ({ firstResult, maxResults }: { firstResult: number; maxResults: number }) =>
        operations.slice(firstResult, firstResult + maxResults),
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
      batchEndedSince: async () => 'batch1',
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

  it("refreshes a change once: a settled poll's changes are left alone by the next poll whose window still holds them", async () => {
    const claim = { id: 'op1', operationId: 'op1', entityType: 'Task', processInstanceId: 'p1', processDefinitionId: null };
    const later = { id: 'op2', operationId: 'op2', entityType: 'Task', processInstanceId: 'p2', processDefinitionId: null };
    let entries = [claim];
    const history = { ...quietHistory, listUserOperations: async () => entries } as unknown as HistoryClient;
    const changes = new EngineChanges(history, noUpdatedTasks, noBulk);
    const first = await changes.since(new Date(0));
    expect([...first.instanceIds]).toEqual(['p1']);
    // Not settled (the refresh failed): the next poll refreshes it again.
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual(['p1']);
    (await changes.since(new Date(0))).settle();
    entries = [claim, later];
    const next = await changes.since(new Date(0));
    expect([...next.instanceIds]).toEqual(['p2']);
    next.settle();
    // Out of the window and back (a cursor that never moves back cannot do this): new again, so nothing is lost.
    entries = [];
    (await changes.since(new Date(0))).settle();
    entries = [claim];
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual(['p1']);
  });

  it('counts a task update the engine gives no time for as new in every poll', async () => {
    const updated = { since: async () => [{ id: 't1', processInstanceId: 'p1', assignee: 'mary', lastUpdated: null }] } as unknown as UpdatedTasks;
    const changes = new EngineChanges(quietHistory as unknown as HistoryClient, updated, noBulk);
    (await changes.since(new Date(0))).settle();
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual(['p1']);
  });

  it('follows a finished batch up once', async () => {
    const asked: boolean[] = [];
    const bulk = {
      batchEndedSince: async () => 'batch1',
      instancesToRefresh: async (_: EngineUserOperation[], batchEnded: boolean) => {
        asked.push(batchEnded);
        return new Set(batchEnded ? ['p1'] : []);
      },
    } as unknown as BulkFollowUp;
    const changes = new EngineChanges(quietHistory as unknown as HistoryClient, noUpdatedTasks, bulk);
    (await changes.since(new Date(0))).settle();
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual([]);
    expect(asked).toEqual([true, false]);
  });
});
