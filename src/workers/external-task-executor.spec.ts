import type { EngineAnswer, ExternalTaskActions, FailureReport, LockedExternalTask } from '../camunda/external-task-topics.js';
import type { InstanceRefresher } from '../sync/instance-refresher.js';
import { ExternalTaskExecutor } from './external-task-executor.js';
import type { GatewayFaults } from './gateway-faults.js';
import { BpmnError, NonRetryableError, type ExternalTaskJob, type WorkerResult } from './worker-api.js';
import type { WorkerDefinition } from './worker-definition.js';
import { WorkerMetrics } from './worker-metrics.js';

class RecordingActions implements ExternalTaskActions {
  readonly calls: string[] = [];
  failures: FailureReport[] = [];
  extendAnswer: EngineAnswer = 'done';
  completeAnswer: EngineAnswer = 'done';

  async complete(): Promise<EngineAnswer> {
    this.calls.push('complete');
    return this.completeAnswer;
  }
  async fail(report: FailureReport): Promise<EngineAnswer> {
    this.calls.push('fail');
    this.failures.push(report);
    return 'done';
  }
  async bpmnError(code: string): Promise<EngineAnswer> {
    this.calls.push(`bpmnError:${code}`);
    return 'done';
  }
  async extendLock(): Promise<EngineAnswer> {
    this.calls.push(`extendLock:${this.extendAnswer}`);
    return this.extendAnswer;
  }
  async unlock(): Promise<void> {
    this.calls.push('unlock');
  }
}

const task = (retries: number | null = null): LockedExternalTask => ({
  id: 'task-1',
  topic: 'topic',
  workerId: 'w',
  processInstanceId: 'pi-1',
  processDefinitionKey: 'key',
  activityId: 'work',
  businessKey: null,
  tenantId: null,
  retries,
  variables: {},
});

function worker(handle: (job: ExternalTaskJob) => Promise<WorkerResult | void>, lockDurationMs = 60_000): WorkerDefinition {
  return {
    handler: { handle },
    settings: {
      topic: 'topic',
      variables: [],
      localVariables: false,
      lockDurationMs,
      maxInFlight: 5,
      refreshMirror: false,
      retry: { attempts: 3, initialDelayMs: 1_000, factor: 2, maxDelayMs: 60_000, jitter: 0 },
    },
  };
}

function executor(options: { refreshFails?: unknown[]; gatewayFault?: (error: unknown) => boolean } = {}) {
  const refreshes: unknown[] = [];
  const refreshFails = [...(options.refreshFails ?? [])];
  const refresher = {
    refreshInstance: async (_id: string, refreshOptions: unknown) => {
      const failure = refreshFails.shift();
      if (failure) throw failure;
      refreshes.push(refreshOptions);
      return 1;
    },
  } as unknown as InstanceRefresher;
  const faults = { isGatewayFault: async (error: unknown) => options.gatewayFault?.(error) ?? false } as GatewayFaults;
  return { executor: new ExternalTaskExecutor(refresher, faults, new WorkerMetrics()), refreshes };
}

describe('ExternalTaskExecutor', () => {
  it('completes with the handler result, writing its events first after confirming the lock', async () => {
    const actions = new RecordingActions();
    const { executor: subject, refreshes } = executor();
    await subject.execute(worker(async () => ({ variables: { a: 1 }, events: [{ type: 'model.x', data: {} }] })), task(), actions);
    expect(actions.calls).toEqual(['extendLock:done', 'complete']);
    expect(refreshes).toEqual([{ domainEvents: [{ type: 'model.x', data: {} }] }]);
  });

  it('completes without asking the engine about the lock when there are no events to write', async () => {
    const actions = new RecordingActions();
    await executor().executor.execute(worker(async () => undefined), task(), actions);
    expect(actions.calls).toEqual(['complete']);
  });

  it('drops the outcome when the lock is refused before the events are written: no completion, no event, no failure', async () => {
    const actions = new RecordingActions();
    actions.extendAnswer = 'lost';
    const { executor: subject, refreshes } = executor();
    await subject.execute(worker(async () => ({ events: [{ type: 'model.x', data: {} }] })), task(), actions);
    expect(actions.calls).toEqual(['extendLock:lost']);
    expect(refreshes).toEqual([]);
  });

  it('drops quietly an outcome whose completion the engine refuses as no longer ours, without a refresh', async () => {
    const actions = new RecordingActions();
    actions.completeAnswer = 'lost';
    const { executor: subject, refreshes } = executor();
    const quiet = worker(async () => undefined);
    await subject.execute({ ...quiet, settings: { ...quiet.settings, refreshMirror: true } }, task(), actions);
    expect(actions.calls).toEqual(['complete']);
    expect(refreshes).toEqual([]);
  });

  it('routes a BpmnError to handleBpmnError', async () => {
    const actions = new RecordingActions();
    await executor().executor.execute(worker(async () => Promise.reject(new BpmnError('REJECTED'))), task(), actions);
    expect(actions.calls).toEqual(['bpmnError:REJECTED']);
  });

  it('reports a retryable error with the next backoff step, counting tries from the engine retries', async () => {
    const actions = new RecordingActions();
    const subject = executor().executor;
    await subject.execute(worker(async () => Promise.reject(new Error('first'))), task(null), actions);
    await subject.execute(worker(async () => Promise.reject(new Error('second'))), task(2), actions);
    await subject.execute(worker(async () => Promise.reject(new Error('last'))), task(1), actions);
    expect(actions.failures.map(({ message, retries, retryTimeoutMs }) => ({ message, retries, retryTimeoutMs }))).toEqual([
      { message: 'first', retries: 2, retryTimeoutMs: 1_000 },
      { message: 'second', retries: 1, retryTimeoutMs: 2_000 },
      { message: 'last', retries: 0, retryTimeoutMs: 0 },
    ]);
  });

  it('raises the incident at once for a NonRetryableError', async () => {
    const actions = new RecordingActions();
    await executor().executor.execute(worker(async () => Promise.reject(new NonRetryableError('bad input'))), task(null), actions);
    expect(actions.failures).toMatchObject([{ message: 'bad input', retries: 0 }]);
  });

  it('waits out a gateway fault while writing events and completes afterwards, never reporting a failure', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const actions = new RecordingActions();
    const { executor: subject, refreshes } = executor({ refreshFails: [outage], gatewayFault: (error) => error === outage });
    await subject.execute(worker(async () => ({ events: [{ type: 'model.x', data: {} }] })), task(), actions);
    expect(actions.calls).toEqual(['extendLock:done', 'complete']);
    expect(refreshes).toHaveLength(1);
  }, 10_000);

  it('unlocks a task that arrives after shutdown began, without running its handler', async () => {
    const actions = new RecordingActions();
    const subject = executor().executor;
    await subject.drain(0);
    let ran = false;
    await subject.execute(worker(async () => void (ran = true)), task(), actions);
    expect(ran).toBe(false);
    expect(actions.calls).toEqual(['unlock']);
  });

  it('at the drain deadline, gives up on a handler still running and unlocks its task', async () => {
    const actions = new RecordingActions();
    const subject = executor().executor;
    const running = subject.execute(worker(() => new Promise(() => undefined)), task(), actions);
    await subject.drain(50);
    await running;
    expect(actions.calls).toEqual(['unlock']);
  });
});
