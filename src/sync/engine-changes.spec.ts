import { jest } from '@jest/globals';
import type { EngineUserOperation, OpenTask } from '../camunda/camunda.models.js';
import type { HistoryClient } from '../camunda/clients/history.client.js';
import type { BulkFollowUp } from './bulk-follow-up.js';
import { EngineChanges } from './engine-changes.js';
import { MirroredChanges } from './mirrored-changes.js';
import type { InstanceSnapshot, TaskSnapshot, VariableSnapshot } from './instance-snapshot.js';
import { InstanceState } from '../mirror/process-instance.entity.js';
import type { UpdatedTasks } from './updated-tasks.js';
import type { GatewayConfig } from '../config/gateway-config.js';

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
  const config = { SYNC_OVERLAP_MS: 5_000 } as GatewayConfig;
  const noBulk = { batchEndedSince: async () => null, instancesToRefresh: async () => new Set<string>() } as unknown as BulkFollowUp;

  it('reads every user operation since the position, past any page size', async () => {
    const operations = Array.from({ length: 5_200 }, (_, index) => ({ id: `op${index}`, processInstanceId: `p${index}`, entityType: 'Task' }));
    const history = {
      ...quietHistory,
      listUserOperations: async ({ firstResult, maxResults }: { firstResult: number; maxResults: number }) =>
        operations.slice(firstResult, firstResult + maxResults),
    } as unknown as HistoryClient;
    const changes = await new EngineChanges(history, noUpdatedTasks, noBulk, new MirroredChanges(), config).since(new Date(0));
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
    const changes = await new EngineChanges(history, noUpdatedTasks, bulk, new MirroredChanges(), config).since(new Date(0));
    expect([...changes.instanceIds].sort()).toEqual(['p1', 'p2']);
    expect(asked).toEqual([{ operations: [suspendByDefinition], batchEnded: true }]);
  });

  it("refreshes a change once: a settled poll's changes are left alone by the next poll whose window still holds them", async () => {
    const claim = { id: 'op1', operationId: 'op1', entityType: 'Task', processInstanceId: 'p1', processDefinitionId: null };
    const later = { id: 'op2', operationId: 'op2', entityType: 'Task', processInstanceId: 'p2', processDefinitionId: null };
    let entries = [claim];
    const history = { ...quietHistory, listUserOperations: async () => entries } as unknown as HistoryClient;
    const changes = new EngineChanges(history, noUpdatedTasks, noBulk, new MirroredChanges(), config);
    const first = await changes.since(new Date(0));
    expect([...first.instanceIds]).toEqual(['p1']);
    // Not settled (the refresh failed): the next poll refreshes it again.
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual(['p1']);
    (await changes.since(new Date(0))).settle();
    entries = [claim, later];
    const next = await changes.since(new Date(0));
    expect([...next.instanceIds]).toEqual(['p2']);
    next.settle();
    // Out of the window and back within the time a later window can reach: still settled, not refreshed again.
    entries = [];
    (await changes.since(new Date(0))).settle();
    entries = [claim];
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual([]);
  });

  it('forgets settled changes once no poll window can list them again, so memory stays bounded', async () => {
    const claim = { id: 'op1', operationId: 'op1', entityType: 'Task', processInstanceId: 'p1', processDefinitionId: null };
    let entries = [claim];
    const history = { ...quietHistory, listUserOperations: async () => entries } as unknown as HistoryClient;
    const changes = new EngineChanges(history, noUpdatedTasks, noBulk, new MirroredChanges(), config);
    jest.useFakeTimers({ now: 0, doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      (await changes.since(new Date(0))).settle();
      entries = [];
      jest.setSystemTime(2 * 5_000 + 60_000);
      (await changes.since(new Date(0))).settle();
      entries = [claim];
      expect([...(await changes.since(new Date(0))).instanceIds]).toEqual([]);
      entries = [];
      jest.setSystemTime(2 * 5_000 + 60_001);
      (await changes.since(new Date(0))).settle();
      entries = [claim];
      expect([...(await changes.since(new Date(0))).instanceIds]).toEqual(['p1']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('hands on the assignee changes of the log that no settled poll and no refresh of this replica has seen', async () => {
    const entry = (id: string, orgValue: string | null, newValue: string | null, property = 'assignee') => ({
      id,
      operationId: id,
      at: new Date(0),
      entityType: 'Task',
      operationType: 'Claim',
      processInstanceId: 'p1',
      taskId: 't1',
      property,
      orgValue,
      newValue,
    });
    let entries = [entry('e1', null, 'ann'), entry('e2', null, 'bob', 'owner')];
    const history = { ...quietHistory, listUserOperations: async () => entries } as unknown as HistoryClient;
    const mirrored = new MirroredChanges();
    const changes = new EngineChanges(history, noUpdatedTasks, noBulk, mirrored, config);
    const first = await changes.since(new Date(0));
    expect([...first.logged.assignees]).toEqual([['t1', [{ entryId: 'e1', from: null, to: 'ann', at: new Date(0) }]]]);
    first.settle();
    // Settled by the last poll: e1 is not handed on again. e3 was turned into an event by a refresh already.
    entries = [entry('e1', null, 'ann'), entry('e3', 'ann', null), entry('e4', null, 'cid')];
    mirrored.record([{ ...snapshotOf('p1', { ended: false }), tasks: [{ id: 't1', endedAt: null, assigneeChanges: [{ entryId: 'e3' }] } as TaskSnapshot] }]);
    const next = await changes.since(new Date(0));
    expect(next.logged.assignees.get('t1')?.map((change) => change.entryId)).toEqual(['e4']);
  });

  it('takes a listed task without an update time for its creation: refreshed once, and not at all after a refresh read it', async () => {
    const listed: OpenTask[] = [
      { id: 't1', processInstanceId: 'p1', assignee: null, lastUpdated: null },
      { id: 't2', processInstanceId: 'p2', assignee: null, lastUpdated: null },
      { id: 't3', processInstanceId: 'p3', assignee: 'mary', lastUpdated: new Date(5) },
    ];
    const updated = { since: async () => listed } as unknown as UpdatedTasks;
    const mirrored = new MirroredChanges();
    mirrored.record([snapshotOf('p1', { ended: false, taskId: 't1' })]);
    const changes = new EngineChanges(quietHistory as unknown as HistoryClient, updated, noBulk, mirrored, config);
    const first = await changes.since(new Date(0));
    expect([...first.instanceIds].sort()).toEqual(['p2', 'p3']);
    first.settle();
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual([]);
    // Updated again: a new update time is a new change.
    listed[2] = { ...listed[2], lastUpdated: new Date(9) };
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual(['p3']);
  });

  it("files a variable's creation and a start's Create log entry as changes a snapshot shows: refreshed once, not after a refresh read them", async () => {
    const history = {
      ...quietHistory,
      listHistoricProcessInstances: async ({ startedAfter }: { startedAfter?: Date }) => (startedAfter ? [{ id: 'p1' }, { id: 'p2' }] : []),
      listInstancesWithVariableUpdates: async () => [
        { id: 'd1', processInstanceId: 'p1', createdVariableId: 'v1' },
        { id: 'd2', processInstanceId: 'p2', createdVariableId: 'v2' },
        { id: 'd3', processInstanceId: 'p3', createdVariableId: null },
      ],
      listUserOperations: async () => [
        { id: 'o1', operationType: 'Create', entityType: 'ProcessInstance', processInstanceId: 'p1' },
        { id: 'o2', operationType: 'Create', entityType: 'ProcessInstance', processInstanceId: 'p4' },
      ],
    } as unknown as HistoryClient;
    const mirrored = new MirroredChanges();
    mirrored.record([{ ...snapshotOf('p1', { ended: false }), variables: [{ id: 'v1' } as VariableSnapshot] }]);
    const changes = new EngineChanges(history, noUpdatedTasks, noBulk, mirrored, config);
    const first = await changes.since(new Date(0));
    // p1 was read with its variable; p3's variable update (not a creation) and p4's start (no history row yet) are new.
    expect([...first.instanceIds].sort()).toEqual(['p2', 'p3', 'p4']);
    first.settle();
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual([]);
  });

  it('leaves a change a snapshot shows to the refresh of its instance under way, and refreshes the instance next if that one did not show it', async () => {
    let listed = true;
    const history = {
      ...quietHistory,
      listHistoricProcessInstances: async ({ startedAfter }: { startedAfter?: Date }) => (startedAfter && listed ? [{ id: 'p1' }, { id: 'p2' }] : []),
      listHistoricTasks: async ({ startedAfter }: { startedAfter?: Date }) => (startedAfter && listed ? [{ id: 't1', processInstanceId: 'p1' }] : []),
      listInstancesWithVariableUpdates: async () => (listed ? [{ id: 'd1', processInstanceId: 'p1', createdVariableId: null }] : []),
    } as unknown as HistoryClient;
    const mirrored = new MirroredChanges();
    const changes = new EngineChanges(history, noUpdatedTasks, noBulk, mirrored, config);
    const p1Done = mirrored.refreshing('p1');
    const p2Done = mirrored.refreshing('p2');
    const during = await changes.since(new Date(0));
    // A variable update no snapshot shows is refreshed at once, under way or not.
    expect([...during.instanceIds]).toEqual(['p1']);
    during.settle();
    // p1's refresh read its start and task; p2's failed. The next poll's window no longer lists p2: it is owed.
    mirrored.record([snapshotOf('p1', { ended: false, taskId: 't1' })]);
    p1Done();
    p2Done();
    listed = false;
    const next = await changes.since(new Date(0));
    expect([...next.instanceIds]).toEqual(['p2']);
    next.settle();
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual([]);
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
    const changes = new EngineChanges(quietHistory as unknown as HistoryClient, noUpdatedTasks, bulk, new MirroredChanges(), config);
    (await changes.since(new Date(0))).settle();
    expect([...(await changes.since(new Date(0))).instanceIds]).toEqual([]);
    expect(asked).toEqual([true, false]);
  });

  it('leaves alone a start or an end a refresh of this replica already read, and still refreshes what a snapshot cannot show', async () => {
    const mirrored = new MirroredChanges();
    mirrored.record([snapshotOf('p1', { ended: true, taskId: 't1' })]);
    const history = {
      ...quietHistory,
      listHistoricProcessInstances: async ({ finishedAfter }: { finishedAfter?: Date }) =>
        finishedAfter ? [{ id: 'p1' }, { id: 'p2' }] : [{ id: 'p1' }, { id: 'p3' }],
      listHistoricTasks: async ({ startedAfter }: { startedAfter?: Date }) => (startedAfter ? [{ id: 't1', processInstanceId: 'p1' }] : []),
      listInstancesWithVariableUpdates: async () => [{ id: 'd1', processInstanceId: 'p4' }],
    } as unknown as HistoryClient;
    const changes = await new EngineChanges(history, noUpdatedTasks, noBulk, mirrored, config).since(new Date(0));
    expect([...changes.instanceIds].sort()).toEqual(['p2', 'p3', 'p4']);
    // A variable update on the instance already read is refreshed: its snapshot cannot say which update it held.
    mirrored.record([snapshotOf('p4', { ended: false })]);
    expect([...(await new EngineChanges(history, noUpdatedTasks, noBulk, mirrored, config).since(new Date(0))).instanceIds]).toContain('p4');
  });
});

describe('MirroredChanges', () => {
  it('owes a refresh for a change left to refreshes under way only when the last of them ends without showing it', () => {
    const mirrored = new MirroredChanges();
    const first = mirrored.refreshing('p1');
    const second = mirrored.refreshing('p1');
    const other = mirrored.refreshing('p2');
    expect(mirrored.leaveToRefreshUnderWay('p1', 'task-created:t1')).toBe(true);
    expect(mirrored.leaveToRefreshUnderWay('p2', 'task-created:t2')).toBe(true);
    first();
    first();
    expect(mirrored.owedRefreshes()).toEqual([]);
    mirrored.record([snapshotOf('p2', { ended: false, taskId: 't2' })]);
    other();
    second();
    expect(mirrored.owedRefreshes()).toEqual(['p1']);
    mirrored.paid(['p1']);
    expect(mirrored.owedRefreshes()).toEqual([]);
    expect(mirrored.leaveToRefreshUnderWay('p1', 'task-created:t1')).toBe(false);
  });

  it('forgets keys after a minute, so memory stays bounded', () => {
    const mirrored = new MirroredChanges();
    mirrored.record([snapshotOf('p1', { ended: true })], 0);
    expect(mirrored.has('instance-ended:p1')).toBe(true);
    mirrored.record([snapshotOf('p2', { ended: false })], 61_000);
    expect(mirrored.has('instance-ended:p1')).toBe(false);
    expect(mirrored.has('instance-started:p2')).toBe(true);
    expect(mirrored.has('instance-ended:p2')).toBe(false);
  });
});

function snapshotOf(id: string, { ended, taskId }: { ended: boolean; taskId?: string }): InstanceSnapshot {
  const at = new Date(0);
  return {
    id,
    definitionId: 'ticket:1',
    definitionKey: 'ticket',
    businessKey: null,
    tenantId: null,
    state: ended ? InstanceState.Completed : InstanceState.Active,
    startedAt: at,
    endedAt: ended ? at : null,
    deleteReason: null,
    startedBy: null,
    tasks: taskId ? [{ id: taskId, endedAt: at } as TaskSnapshot] : [],
    variables: [],
    incidents: [],
  };
}
