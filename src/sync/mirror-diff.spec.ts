import { EventType, type PublishedEventType } from '../events/event-types.js';
import { IncidentState } from '../mirror/incident.entity.js';
import { InstanceState } from '../mirror/process-instance.entity.js';
import { TaskState } from '../mirror/task.entity.js';
import type { InstanceSnapshot, TaskSnapshot } from './instance-snapshot.js';
import { diffInstance, type MirroredTask } from './mirror-diff.js';

const now = new Date('2026-01-01T12:00:00Z');
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 11, 0, second));

function task(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  return {
    id: 't1',
    name: 'Manager Approval',
    description: null,
    taskDefinitionKey: 'managerApproval',
    assignee: null,
    owner: null,
    candidateUsers: [],
    candidateGroups: ['managers'],
    priority: 50,
    state: TaskState.Created,
    suspended: false,
    createdAt: at(1),
    dueAt: null,
    followUpAt: null,
    endedAt: null,
    tenantId: null,
    ...overrides,
  };
}

function snapshot(overrides: Partial<InstanceSnapshot> = {}): InstanceSnapshot {
  return {
    id: 'p1',
    definitionId: 'd:1',
    definitionKey: 'ticket-approval',
    businessKey: 'T-1',
    tenantId: null,
    state: InstanceState.Active,
    startedAt: at(0),
    endedAt: null,
    deleteReason: null,
    startedBy: null,
    tasks: [],
    variables: [],
    incidents: [],
    ...overrides,
  };
}

function types(result: ReturnType<typeof diffInstance>): PublishedEventType[] {
  return [...result.startEvents, ...result.taskEvents, ...result.endEvents].map((event) => event.type);
}

describe('diffInstance', () => {
  it('announces a new instance and its first task', () => {
    expect(types(diffInstance(null, [], snapshot({ tasks: [task()] }), now))).toEqual([EventType.ProcessStarted, EventType.TaskCreated]);
  });

  it('yields nothing when the mirror already matches', () => {
    const mirrored: MirroredTask[] = [{ id: 't1', state: TaskState.Created, assignee: null }];
    expect(types(diffInstance({ state: InstanceState.Active }, mirrored, snapshot({ tasks: [task()] }), now))).toEqual([]);
  });

  it('catches up on everything an instance did while the mirror was not looking, in order', () => {
    const done = snapshot({
      state: InstanceState.Completed,
      endedAt: at(9),
      tasks: [task({ assignee: 'demo', state: TaskState.Completed, endedAt: at(5) })],
    });
    expect(types(diffInstance(null, [], done, now))).toEqual([
      EventType.ProcessStarted,
      EventType.TaskCreated,
      EventType.TaskAssigned,
      EventType.TaskCompleted,
      EventType.ProcessCompleted,
    ]);
  });

  it('tells completion from termination, carrying the delete reason', () => {
    const cancelled = snapshot({ state: InstanceState.ExternallyTerminated, endedAt: at(3), deleteReason: 'operator' });
    const result = diffInstance({ state: InstanceState.Active }, [], cancelled, now);
    expect(types(result)).toEqual([EventType.ProcessTerminated]);
    expect(result.endEvents[0]?.data).toMatchObject({ deleteReason: 'operator', state: 'EXTERNALLY_TERMINATED' });
  });

  it('reports suspension and activation', () => {
    expect(types(diffInstance({ state: InstanceState.Active }, [], snapshot({ state: InstanceState.Suspended }), now))).toEqual([EventType.ProcessSuspended]);
    expect(types(diffInstance({ state: InstanceState.Suspended }, [], snapshot(), now))).toEqual([EventType.ProcessActivated]);
  });

  it('reports claim, reassignment and unclaim with the previous assignee', () => {
    const claimed = diffInstance(
      { state: InstanceState.Active },
      [{ id: 't1', state: TaskState.Created, assignee: null }],
      snapshot({ tasks: [task({ assignee: 'ann', state: TaskState.Assigned })] }),
      now,
    );
    expect(claimed.taskEvents.map((event) => [event.type, event.data.assignee, event.data.previousAssignee])).toEqual([[EventType.TaskAssigned, 'ann', null]]);
    const unclaimed = diffInstance(
      { state: InstanceState.Active },
      [{ id: 't1', state: TaskState.Assigned, assignee: 'ann' }],
      snapshot({ tasks: [task()] }),
      now,
    );
    expect(unclaimed.taskEvents.map((event) => [event.type, event.data.assignee, event.data.previousAssignee])).toEqual([
      [EventType.TaskAssigned, null, 'ann'],
    ]);
  });

  it('publishes each logged assignee change, a claim undone before the poll included, and none the mirror already holds', () => {
    const change = (entryId: string, from: string | null, to: string | null, second: number) => ({ entryId, from, to, at: at(second) });
    const transitions = (result: ReturnType<typeof diffInstance>) =>
      result.taskEvents.map((event) => [event.data.previousAssignee, event.data.assignee, event.occurredAt.getUTCSeconds()]);
    const known = [{ id: 't1', state: TaskState.Created, assignee: null }];
    // Claimed and unclaimed between two polls: the snapshot alone shows nothing happened.
    const undone = diffInstance(
      { state: InstanceState.Active },
      known,
      snapshot({ tasks: [task({ assigneeChanges: [change('e1', null, 'ann', 5), change('e2', 'ann', null, 6)] })] }),
      now,
    );
    expect(transitions(undone)).toEqual([
      [null, 'ann', 5],
      ['ann', null, 6],
    ]);
    // The gateway's own claim was mirrored already (ann), then Tasklist handed the task to bob: only that is new.
    const handedOn = diffInstance(
      { state: InstanceState.Active },
      [{ id: 't1', state: TaskState.Assigned, assignee: 'ann' }],
      snapshot({
        tasks: [task({ assignee: 'bob', state: TaskState.Assigned, assigneeChanges: [change('e1', null, 'ann', 5), change('e2', 'ann', 'bob', 7)] })],
      }),
      now,
    );
    expect(transitions(handedOn)).toEqual([['ann', 'bob', 7]]);
    // A log that does not lead to the engine's state (an entry outside the window): the rest of the way as one change.
    const gap = diffInstance(
      { state: InstanceState.Active },
      known,
      snapshot({ tasks: [task({ assignee: 'cid', state: TaskState.Assigned, assigneeChanges: [change('e1', null, 'ann', 5)] })] }),
      now,
    );
    expect(transitions(gap)).toEqual([
      [null, 'ann', 5],
      ['ann', 'cid', 0],
    ]);
    // A new task claimed and unclaimed before any poll: created, then both changes.
    const fresh = diffInstance(null, [], snapshot({ tasks: [task({ assigneeChanges: [change('e1', null, 'ann', 5), change('e2', 'ann', null, 6)] })] }), now);
    expect(types(fresh)).toEqual([EventType.ProcessStarted, EventType.TaskCreated, EventType.TaskAssigned, EventType.TaskAssigned]);
  });

  it('publishes a suspension undone before the poll, from the log, and none the mirror already holds', () => {
    const change = (entryId: string, suspended: boolean, second: number) => ({ entryId, suspended, at: at(second) });
    const undone = diffInstance({ state: InstanceState.Active }, [], snapshot({ suspensionChanges: [change('e1', true, 5), change('e2', false, 6)] }), now);
    expect(undone.endEvents.map((event) => [event.type, event.data.state, event.occurredAt.getUTCSeconds()])).toEqual([
      [EventType.ProcessSuspended, InstanceState.Suspended, 5],
      [EventType.ProcessActivated, InstanceState.Active, 6],
    ]);
    // Suspended already in the mirror: only the activation is new.
    const activated = diffInstance(
      { state: InstanceState.Suspended },
      [],
      snapshot({ suspensionChanges: [change('e1', true, 5), change('e2', false, 6)] }),
      now,
    );
    expect(types(activated)).toEqual([EventType.ProcessActivated]);
  });

  it('tells a deleted task from a completed one', () => {
    const deleted = snapshot({ tasks: [task({ state: TaskState.Deleted, endedAt: at(4) })] });
    expect(types(diffInstance({ state: InstanceState.Active }, [{ id: 't1', state: TaskState.Created, assignee: null }], deleted, now))).toEqual([
      EventType.TaskDeleted,
    ]);
  });

  it('announces incidents when raised and when resolved, in time order with the tasks', () => {
    const incident = {
      id: 'i1',
      type: 'failedJob',
      message: 'boom',
      activityId: 'fail',
      configuration: 'job1',
      annotation: null,
      createdAt: at(3),
      endedAt: null,
      state: IncidentState.Open,
    };
    const raised = diffInstance({ state: InstanceState.Active }, [], snapshot({ tasks: [task({ createdAt: at(5) })], incidents: [incident] }), now);
    expect(types(raised)).toEqual([EventType.IncidentCreated, EventType.TaskCreated]);
    const resolved = diffInstance(
      { state: InstanceState.Active },
      [],
      snapshot({ incidents: [{ ...incident, state: IncidentState.Resolved, endedAt: at(8) }] }),
      now,
      [{ id: 'i1', state: IncidentState.Open }],
    );
    expect(resolved.taskEvents.map((event) => [event.type, event.data.resolution])).toEqual([[EventType.IncidentResolved, 'RESOLVED']]);
    expect(
      types(
        diffInstance({ state: InstanceState.Active }, [], snapshot({ incidents: [{ ...incident, state: IncidentState.Resolved }] }), now, [
          { id: 'i1', state: IncidentState.Resolved },
        ]),
      ),
    ).toEqual([]);
  });

  it('never reopens what has ended, whatever an older snapshot says', () => {
    const stale = snapshot({ tasks: [task()] });
    expect(types(diffInstance({ state: InstanceState.Completed }, [{ id: 't1', state: TaskState.Completed, assignee: null }], stale, now))).toEqual([]);
  });
});
