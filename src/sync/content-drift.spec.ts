import { IncidentState } from '../mirror/incident.entity.js';
import { InstanceState } from '../mirror/process-instance.entity.js';
import { TaskState, type TaskRecord } from '../mirror/task.entity.js';
import { contentDiffers } from './content-drift.js';
import type { MirroredContents } from './mirror-store.js';
import type { InstanceSnapshot } from './instance-snapshot.js';

const at = new Date('2026-12-01T10:00:00.000Z');

function snapshot(): InstanceSnapshot {
  return {
    id: 'p1',
    definitionId: 'ticket:1',
    definitionKey: 'ticket',
    businessKey: 'T-1',
    tenantId: null,
    state: InstanceState.Active,
    startedAt: at,
    endedAt: null,
    deleteReason: null,
    startedBy: null,
    tasks: [
      {
        id: 't1',
        name: 'Approve',
        description: null,
        taskDefinitionKey: 'approve',
        assignee: null,
        owner: null,
        candidateUsers: ['ann'],
        candidateGroups: ['managers', 'clerks'],
        priority: 50,
        state: TaskState.Created,
        suspended: false,
        createdAt: at,
        dueAt: new Date('2026-12-05T00:00:00.000Z'),
        followUpAt: null,
        endedAt: null,
        tenantId: null,
      },
    ],
    variables: [
      { id: 'v1', name: 'amount', type: 'Double', value: 12.5, valueInfo: {}, scope: 'process', taskId: null, activityInstanceId: 'p1' },
      { id: 'v2', name: 'order', type: 'Json', value: { lines: [1, 2], note: 'x' }, valueInfo: {}, scope: 'process', taskId: null, activityInstanceId: 'p1' },
    ],
    incidents: [
      {
        id: 'i1',
        type: 'failedJob',
        message: 'boom',
        activityId: 'work',
        configuration: 'job1',
        annotation: null,
        state: IncidentState.Open,
        createdAt: at,
        endedAt: null,
      },
    ],
  };
}

/** The mirror as a refresh of `engine` leaves it, with fresh copies of every value. */
function mirrorOf(engine: InstanceSnapshot): MirroredContents {
  const copy = structuredClone(engine);
  const synced = { lastSyncedAt: at, escapedFields: [] };
  return {
    instance: { ...copy, ...synced, lastEventSequence: 1, snapshotReadAt: at },
    tasks: copy.tasks.map((task) => ({ ...task, ...synced, processInstanceId: engine.id, processDefinitionKey: 'ticket', businessKey: 'T-1' }) as TaskRecord),
    variables: copy.variables.map((variable) => ({ ...variable, ...synced, processInstanceId: engine.id })),
    incidents: copy.incidents.map((incident) => ({ ...incident, ...synced, processInstanceId: engine.id })),
  };
}

describe('contentDiffers', () => {
  it('finds no drift where the mirror holds what the engine holds, whatever the order of candidates or Json keys', () => {
    const mirrored = mirrorOf(snapshot());
    mirrored.tasks[0].candidateGroups = ['clerks', 'managers'];
    mirrored.variables[1].value = { note: 'x', lines: [1, 2] };
    mirrored.variables.reverse();
    expect(contentDiffers(snapshot(), mirrored)).toBe(false);
  });

  it.each<[string, (mirrored: MirroredContents) => void]>([
    ['a lost instance row', (mirrored) => (mirrored.instance = null)],
    ['another business key', (mirrored) => (mirrored.instance!.businessKey = 'T-2')],
    ['a missing task', (mirrored) => (mirrored.tasks = [])],
    ['another owner', (mirrored) => (mirrored.tasks[0].owner = 'bob')],
    ['a lost candidate group', (mirrored) => (mirrored.tasks[0].candidateGroups = ['managers'])],
    ['another candidate user', (mirrored) => (mirrored.tasks[0].candidateUsers = ['bob'])],
    ['another due date', (mirrored) => (mirrored.tasks[0].dueAt = null)],
    ['another follow-up date', (mirrored) => (mirrored.tasks[0].followUpAt = at)],
    ['another description', (mirrored) => (mirrored.tasks[0].description = 'old')],
    ['another variable value', (mirrored) => (mirrored.variables[0].value = 13)],
    ['a nested Json change', (mirrored) => (mirrored.variables[1].value = { lines: [1, 3], note: 'x' })],
    ['another variable type', (mirrored) => (mirrored.variables[0].type = 'Integer')],
    ['a lost variable', (mirrored) => mirrored.variables.pop()],
    ['a variable the engine no longer has', (mirrored) => mirrored.variables.push({ ...mirrored.variables[0], id: 'v9', name: 'stale' })],
    ['a lost incident', (mirrored) => (mirrored.incidents = [])],
    ['another incident annotation', (mirrored) => (mirrored.incidents[0].annotation = 'seen')],
    ['another incident configuration', (mirrored) => (mirrored.incidents[0].configuration = 'job0')],
    ['another incident type', (mirrored) => (mirrored.incidents[0].type = 'failedExternalTask')],
    ['another incident message', (mirrored) => (mirrored.incidents[0].message = 'bang')],
    ['another incident activity', (mirrored) => (mirrored.incidents[0].activityId = 'other')],
    ['another incident creation time', (mirrored) => (mirrored.incidents[0].createdAt = new Date(0))],
    ['another definition key', (mirrored) => (mirrored.instance!.definitionKey = 'other')],
    ['another start time of an open instance', (mirrored) => (mirrored.instance!.startedAt = new Date(0))],
    ['a task row with another tenant', (mirrored) => (mirrored.tasks[0].tenantId = 'acme')],
    ['a task row with another creation time', (mirrored) => (mirrored.tasks[0].createdAt = new Date(0))],
    ['another state of an open instance', (mirrored) => (mirrored.instance!.state = InstanceState.Suspended)],
    ['another definition (a migration)', (mirrored) => (mirrored.instance!.definitionId = 'ticket:0')],
    [
      'a mark of removal the engine disproves',
      (mirrored) => Object.assign(mirrored.instance!, { state: InstanceState.ExternallyTerminated, deleteReason: 'removed from engine' }),
    ],
    ['a task row with another business key', (mirrored) => (mirrored.tasks[0].businessKey = 'T-0')],
    ['a task row with another task definition key', (mirrored) => (mirrored.tasks[0].taskDefinitionKey = 'review')],
  ])('finds %s', (_, tamper) => {
    const mirrored = mirrorOf(snapshot());
    tamper(mirrored);
    expect(contentDiffers(snapshot(), mirrored)).toBe(true);
  });

  it('finds an incident the engine resolved while the mirror holds it open', () => {
    const engine = snapshot();
    const mirrored = mirrorOf(engine);
    engine.incidents[0] = { ...engine.incidents[0], state: IncidentState.Resolved, endedAt: at };
    expect(contentDiffers(engine, mirrored)).toBe(true);
  });

  it('leaves alone what a refresh would leave alone: ended tasks and incidents, tasks whose candidates the engine no longer tells', () => {
    const engine = snapshot();
    const mirrored = mirrorOf(engine);
    mirrored.tasks[0] = { ...mirrored.tasks[0], state: TaskState.Completed, assignee: 'ann' };
    mirrored.incidents[0] = { ...mirrored.incidents[0], state: IncidentState.Resolved };
    expect(contentDiffers(engine, mirrored)).toBe(false);

    const untold = snapshot();
    untold.tasks[0] = { ...untold.tasks[0], candidateUsers: undefined, candidateGroups: undefined };
    const withOthers = mirrorOf(snapshot());
    withOthers.tasks[0].candidateGroups = ['someone-else'];
    expect(contentDiffers(untold, withOthers)).toBe(false);
  });

  it('finds an open instance the engine has no record of (to mark removed), and nothing for one the mirror ended', () => {
    const mirrored = mirrorOf(snapshot());
    expect(contentDiffers(null, mirrored)).toBe(true);
    mirrored.instance!.state = InstanceState.Completed;
    expect(contentDiffers(null, mirrored)).toBe(false);
    expect(contentDiffers(null, { instance: null, tasks: [], variables: [], incidents: [] })).toBe(false);
  });

  it('leaves an instance the mirror ended as it is, though the engine holds it open, and compares candidates as sets', () => {
    const mirrored = mirrorOf(snapshot());
    mirrored.instance!.state = InstanceState.Completed;
    mirrored.tasks[0].candidateUsers = ['ann', 'ann'];
    expect(contentDiffers(snapshot(), mirrored)).toBe(false);
  });

  it('compares values as jsonb returns them: -0 is 0', () => {
    const engine = snapshot();
    engine.variables[0].value = -0;
    const mirrored = mirrorOf(snapshot());
    mirrored.variables[0].value = 0;
    expect(contentDiffers(engine, mirrored)).toBe(false);
  });
});
