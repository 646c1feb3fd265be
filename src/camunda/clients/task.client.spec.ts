import type { EngineHttp } from '../engine-http.js';
import type { TaskDto, UserOperationLogEntryDto } from '../engine-dto.js';
import { TaskClient } from './task.client.js';

const LOGGED_AS: Record<string, string> = {
  assignee: 'assignee',
  owner: 'owner',
  delegationState: 'delegation',
  due: 'dueDate',
  followUp: 'followUpDate',
  priority: 'priority',
  name: 'name',
};

/**
 * Just enough of engine-rest for a task update: GET and PUT of one task, and a user-operation log that records what
 * each PUT changed, as Camunda does. `afterRead` runs between the gateway's read and its write.
 */
class FakeTaskEngine {
  task: TaskDto = {
    id: 't1',
    name: 'Approve',
    description: null,
    assignee: null,
    owner: null,
    delegationState: null,
    due: null,
    followUp: null,
    priority: 50,
    parentTaskId: null,
    caseInstanceId: null,
    tenantId: null,
    processInstanceId: 'p1',
  };
  readonly log: UserOperationLogEntryDto[] = [];
  readonly puts: Partial<TaskDto>[] = [];
  afterRead: (() => void) | null = null;
  logUnavailable = false;
  private operations = 0;

  claim(userId: string): void {
    this.record('Claim', { assignee: userId });
  }

  readonly http = {
    request: async (_operation: string, config: { method: string; url: string; data?: Partial<TaskDto> }) => {
      if (config.method === 'GET' && config.url === '/task/t1') {
        const read = { ...this.task };
        const hook = this.afterRead;
        this.afterRead = null;
        hook?.();
        return read;
      }
      if (config.method === 'PUT' && config.url === '/task/t1') {
        this.puts.push(config.data!);
        this.record('Update', config.data!);
        return undefined;
      }
      if (config.method === 'GET' && config.url === '/history/user-operation' && this.logUnavailable) throw new Error('engine gone');
      if (config.method === 'GET' && config.url === '/history/user-operation')
        return [...this.log].reverse().filter((entry) => entry.operationType === 'Update');
      throw new Error(`unexpected ${config.method} ${config.url}`);
    },
  };

  private record(operationType: string, changes: Partial<TaskDto>): void {
    const operationId = `op${++this.operations}`;
    for (const [field, value] of Object.entries(changes)) {
      const before = this.task[field as keyof TaskDto];
      if (before === value || !LOGGED_AS[field]) continue;
      const asLogged = (v: unknown) => {
        if (v === null) return null;
        const text = typeof v === 'string' ? v : JSON.stringify(v);
        return field === 'due' || field === 'followUp' ? String(Date.parse(text.replace('+0000', 'Z'))) : text;
      };
      this.log.push({
        id: `${operationId}-${field}`,
        operationId,
        timestamp: '',
        operationType,
        entityType: 'Task',
        processInstanceId: 'p1',
        processDefinitionId: 'd1',
        processDefinitionKey: 'd',
        taskId: 't1',
        property: LOGGED_AS[field],
        orgValue: asLogged(before),
        newValue: asLogged(value),
      });
      Object.assign(this.task, { [field]: value });
    }
  }
}

describe('TaskClient.updateTask (PUT replaces the whole task)', () => {
  it('sets only what was asked and keeps the rest', async () => {
    const engine = new FakeTaskEngine();
    engine.task.assignee = 'ann';
    await new TaskClient(engine.http as unknown as EngineHttp).updateTask('t1', { priority: 70, dueAt: new Date('2030-01-01T00:00:00Z') });
    expect(engine.task).toMatchObject({ assignee: 'ann', priority: 70, due: '2030-01-01T00:00:00.000+0000' });
    expect(engine.puts).toHaveLength(1);
  });

  it('puts back a claim that landed between its read and its write', async () => {
    const engine = new FakeTaskEngine();
    engine.afterRead = () => engine.claim('john');
    await new TaskClient(engine.http as unknown as EngineHttp).updateTask('t1', { priority: 70 });
    expect(engine.task).toMatchObject({ assignee: 'john', priority: 70 });
    expect(engine.puts).toHaveLength(2);
  });

  it('reports an update that is in as done even when the check for overwritten changes fails', async () => {
    const engine = new FakeTaskEngine();
    engine.logUnavailable = true;
    await expect(new TaskClient(engine.http as unknown as EngineHttp).updateTask('t1', { priority: 70 })).resolves.toBeUndefined();
    expect(engine.task.priority).toBe(70);
  });

  it('writes nothing when the task already has the values', async () => {
    const engine = new FakeTaskEngine();
    engine.task.due = '2030-01-01T01:00:00.000+0100';
    await new TaskClient(engine.http as unknown as EngineHttp).updateTask('t1', { priority: 50, dueAt: new Date('2030-01-01T00:00:00Z') });
    expect(engine.puts).toEqual([]);
  });
});

describe('TaskClient.getTaskCandidates', () => {
  it('tells each candidate once, though the engine lists a link added twice twice', async () => {
    const links = [{ userId: 'ann' }, { groupId: 'managers' }, { userId: 'ann' }, { groupId: 'managers' }, { groupId: 'clerks' }];
    const http = { request: async () => links } as unknown as EngineHttp;
    await expect(new TaskClient(http).getTaskCandidates('t1')).resolves.toEqual({ users: ['ann'], groups: ['managers', 'clerks'] });
  });
});
