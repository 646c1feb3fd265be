import type { EngineAnswer, ExternalTaskActions, FailureReport, LockedExternalTask } from '../camunda/external-task-topics.js';
import type { HeldEvents } from '../events/held-events.js';
import type { InstanceRefresher } from '../sync/instance-refresher.js';
import { ExternalTaskExecutor } from './external-task-executor.js';
import type { GatewayFaults } from './gateway-faults.js';
import { ExternalTaskEngineUnreachableError, ExternalTaskRefusedError } from '../camunda/external-task-topics.js';
import { EventType } from '../events/event-types.js';
import { stableUuid } from './stable-id.js';
import { BpmnError, GatewayUnavailableError, NonRetryableError, type ExternalTaskJob, type WorkerResult } from './worker-api.js';
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
  const held = { released: [] as string[][], discarded: [] as string[][] };
  const refresher = {
    discardHeldEvents: async (_id: string, ids: string[]) => void held.discarded.push(ids),
    refreshInstance: async (_id: string, refreshOptions: unknown) => {
      const failure = refreshFails.shift();
      if (failure) throw failure;
      refreshes.push(refreshOptions);
      return 1;
    },
  } as unknown as InstanceRefresher;
  const faults = { isGatewayFault: async (error: unknown) => options.gatewayFault?.(error) ?? false } as GatewayFaults;
  const heldEvents = { release: async (ids: string[]) => void held.released.push(ids) } as unknown as HeldEvents;
  return { executor: new ExternalTaskExecutor(refresher, heldEvents, faults, new WorkerMetrics()), refreshes, held };
}

describe('ExternalTaskExecutor', () => {
  it('completes with the handler result, its events written held and released once the engine accepted', async () => {
    const actions = new RecordingActions();
    const { executor: subject, refreshes, held } = executor();
    await subject.execute(
      worker(async () => ({ variables: { a: 1 }, events: [{ type: 'model.x', data: {} }] })),
      task(),
      actions,
    );
    expect(actions.calls).toEqual(['complete']);
    const id = stableUuid('task-1:0:model.x');
    expect(refreshes).toEqual([{ domainEvents: [{ id, type: 'model.x', data: {}, holdMs: 60_000 + 5 * 60_000, heldBy: expect.any(String) }] }]);
    expect(held).toEqual({ released: [[id]], discarded: [] });
  });

  it('discards the held events when the engine answers the completion with "no longer yours", and reports nothing', async () => {
    const actions = new RecordingActions();
    actions.completeAnswer = 'lost';
    const { executor: subject, held } = executor();
    await subject.execute(
      worker(async () => ({ events: [{ type: 'model.x', data: {} }] })),
      task(),
      actions,
    );
    expect(actions.calls).toEqual(['complete']);
    expect(held).toEqual({ released: [], discarded: [[stableUuid('task-1:0:model.x')]] });
  });

  it("reports a completion the engine refuses for a reason of its own as an incident with the engine's words, events discarded", async () => {
    const actions = new RecordingActions();
    actions.complete = async () => Promise.reject(new ExternalTaskRefusedError(500, 'optimistic locking failed'));
    const { executor: subject, held } = executor();
    await subject.execute(
      worker(async () => ({ events: [{ type: 'model.x', data: {} }] })),
      task(),
      actions,
    );
    expect(actions.failures).toMatchObject([{ message: 'The engine refused the completion: optimistic locking failed', retries: 0 }]);
    expect(held.discarded).toHaveLength(1);
  });

  it('routes a BpmnError to handleBpmnError; one without a code becomes an incident', async () => {
    const actions = new RecordingActions();
    await executor().executor.execute(
      worker(async () => Promise.reject(new BpmnError('REJECTED'))),
      task(),
      actions,
    );
    await executor().executor.execute(
      worker(async () => Promise.reject(new BpmnError(' '))),
      task(),
      actions,
    );
    expect(actions.calls).toEqual(['bpmnError:REJECTED', 'fail']);
    expect(actions.failures).toMatchObject([{ retries: 0 }]);
  });

  it('reports a retryable error with the next backoff step, counting tries from the engine retries', async () => {
    const actions = new RecordingActions();
    const subject = executor().executor;
    await subject.execute(
      worker(async () => Promise.reject(new Error('first'))),
      task(null),
      actions,
    );
    await subject.execute(
      worker(async () => Promise.reject(new Error('second'))),
      task(2),
      actions,
    );
    await subject.execute(
      worker(async () => Promise.reject(new Error('last'))),
      task(1),
      actions,
    );
    expect(actions.failures.map(({ message, retries, retryTimeoutMs }) => ({ message, retries, retryTimeoutMs }))).toEqual([
      { message: 'first', retries: 2, retryTimeoutMs: 1_000 },
      { message: 'second', retries: 1, retryTimeoutMs: 2_000 },
      { message: 'last', retries: 0, retryTimeoutMs: 0 },
    ]);
  });

  it('judges a handler error by its class, not its shape: a connection error of its own costs a retry', async () => {
    const ownOutage = Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:443'), { code: 'ECONNREFUSED' });
    const actions = new RecordingActions();
    let runs = 0;
    await executor({ gatewayFault: () => true }).executor.execute(
      worker(async () => ((runs += 1), Promise.reject(ownOutage))),
      task(null),
      actions,
    );
    expect(runs).toBe(1);
    expect(actions.failures).toMatchObject([{ message: 'connect ECONNREFUSED 10.0.0.9:443', retries: 2 }]);
  });

  it('runs the handler again, no retry spent, when it says the gateway is unavailable', async () => {
    const actions = new RecordingActions();
    let runs = 0;
    await executor().executor.execute(
      worker(async () => {
        runs += 1;
        if (runs === 1) throw new GatewayUnavailableError('database down');
      }),
      task(),
      actions,
    );
    expect(runs).toBe(2);
    expect(actions.calls).toEqual(['complete']);
  }, 10_000);

  it('tries a completion again that lost an optimistic-locking race (parallel branches joining)', async () => {
    const actions = new RecordingActions();
    let tries = 0;
    actions.complete = async () => {
      tries += 1;
      if (tries < 3) throw new ExternalTaskRefusedError(500, 'ENGINE-03005 Entity was updated by another transaction concurrently', true);
      return 'done';
    };
    await executor().executor.execute(
      worker(async () => undefined),
      task(),
      actions,
    );
    expect(tries).toBe(3);
    expect(actions.failures).toEqual([]);
  });

  it('takes a "no longer yours" after a completion whose answer was lost as that completion, releasing its events', async () => {
    const actions = new RecordingActions();
    let tries = 0;
    actions.complete = async () => {
      tries += 1;
      if (tries === 1) throw new ExternalTaskEngineUnreachableError('socket hang up');
      return 'lost';
    };
    const { executor: subject, held } = executor();
    await subject.execute(
      worker(async () => ({ events: [{ type: 'model.x', data: {} }] })),
      task(),
      actions,
    );
    expect(held).toEqual({ released: [[stableUuid('task-1:0:model.x')]], discarded: [] });
  }, 10_000);

  it('tells the engine about anything thrown, an Error or not', async () => {
    const actions = new RecordingActions();
    await executor().executor.execute(
      worker(async () => Promise.reject('plain string')),
      task(),
      actions,
    );
    expect(actions.failures).toMatchObject([{ message: 'The handler threw string: plain string', retries: 2 }]);
  });

  it('raises the incident at once for a NonRetryableError, and for events the outbox could not store', async () => {
    const actions = new RecordingActions();
    const subject = executor().executor;
    await subject.execute(
      worker(async () => Promise.reject(new NonRetryableError('bad input'))),
      task(null),
      actions,
    );
    await subject.execute(
      worker(async () => ({ events: [{ type: 'model.x', data: { text: 'a\u0000b' } }] })),
      task(null),
      actions,
    );
    await subject.execute(
      worker(async () => ({ events: [{ type: 'model.x', data: {}, id: 'not-a-uuid' }] })),
      task(null),
      actions,
    );
    // The mirror's own event types are the sync's to publish: a handler cannot announce a process start.
    await subject.execute(
      worker(async () => ({ events: [{ type: EventType.ProcessStarted, data: {} }] })),
      task(null),
      actions,
    );
    expect(actions.failures.map(({ retries }) => retries)).toEqual([0, 0, 0, 0]);
    expect(actions.failures[1].message).toMatch(/NUL/);
    expect(actions.failures[3].message).toMatch(/neither a domain event type/);
  });

  it('waits out a gateway fault while writing events and completes afterwards, never reporting a failure', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const actions = new RecordingActions();
    const { executor: subject, refreshes } = executor({ refreshFails: [outage], gatewayFault: (error) => error === outage });
    await subject.execute(
      worker(async () => ({ events: [{ type: 'model.x', data: {} }] })),
      task(),
      actions,
    );
    expect(actions.calls).toEqual(['complete']);
    expect(refreshes).toHaveLength(1);
  }, 10_000);

  it('keeps a dropped task counted until its handler has really ended, so the bound holds', async () => {
    const actions = new RecordingActions();
    actions.extendAnswer = 'lost';
    let finish: () => void = () => undefined;
    let settled = false;
    const execution = executor()
      .executor.execute(
        worker(() => new Promise<void>((resolve) => (finish = resolve)), 3_000),
        task(),
        actions,
      )
      .then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(actions.calls).toEqual(['extendLock:lost']);
    expect(settled).toBe(false);
    finish();
    await execution;
    expect(actions.calls).toEqual(['extendLock:lost']);
  });

  it('unlocks a task that arrives after shutdown began, without running its handler', async () => {
    const actions = new RecordingActions();
    const subject = executor().executor;
    await subject.drain(0);
    let ran = false;
    await subject.execute(
      worker(async () => void (ran = true)),
      task(),
      actions,
    );
    expect(ran).toBe(false);
    expect(actions.calls).toEqual(['unlock']);
  });

  it('at the drain deadline, gives up on a handler still running and unlocks its task', async () => {
    const actions = new RecordingActions();
    const subject = executor().executor;
    void subject.execute(
      worker(() => new Promise(() => undefined)),
      task(),
      actions,
    );
    await subject.drain(50);
    expect(actions.calls).toEqual(['unlock']);
  });
});
