import { Injectable, Logger } from '@nestjs/common';
import type { ExternalTaskActions, LockedExternalTask } from '../camunda/external-task-topics.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';
import { GatewayFaults } from './gateway-faults.js';
import { LockKeeper } from './lock-keeper.js';
import { attemptOf, backoffDelayMs, retriesAfterFailure } from './retry-policy.js';
import { BpmnError, NonRetryableError, type ExternalTaskJob, type WorkerResult } from './worker-api.js';
import type { WorkerDefinition } from './worker-definition.js';
import { WorkerMetrics } from './worker-metrics.js';

/** The task is no longer this worker's; whatever the handler did or does is not reported. */
class OutcomeDropped extends Error {}

// Shutdown waits this long for the unlocks of tasks it gave up on.
const UNLOCK_WAIT_MS = 5_000;

/**
 * Runs one locked task through its handler and tells the engine the outcome: completion (with the handler's events
 * written to the outbox first, only while the lock holds), BPMN error, failure with the next backoff step, or an
 * incident. A fault of the gateway itself does not count against the task: it waits, with the lock kept, and tries
 * again when the gateway is back.
 */
@Injectable()
export class ExternalTaskExecutor {
  private readonly logger = new Logger(ExternalTaskExecutor.name);
  private readonly keepers = new Set<LockKeeper>();
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly refresher: InstanceRefresher,
    private readonly faults: GatewayFaults,
    private readonly metrics: WorkerMetrics,
  ) {}

  execute(worker: WorkerDefinition, task: LockedExternalTask, actions: ExternalTaskActions): Promise<void> {
    const execution = this.run(worker, task, actions).finally(() => this.running.delete(execution));
    this.running.add(execution);
    return execution;
  }

  /** Lets tasks in hand finish until the deadline; then drops the rest and unlocks them for another worker. */
  async drain(deadlineMs: number): Promise<void> {
    this.stopping = true;
    const finished = Promise.allSettled([...this.running]);
    const timedOut = await Promise.race([finished.then(() => false), delay(deadlineMs).then(() => true)]);
    if (!timedOut) return;
    this.logger.warn(`Shutdown deadline passed with ${this.running.size} external task(s) in hand; unlocking them`);
    for (const keeper of this.keepers) keeper.giveUp('shutdown');
    await Promise.race([Promise.allSettled([...this.running]), delay(UNLOCK_WAIT_MS)]);
  }

  private async run(worker: WorkerDefinition, task: LockedExternalTask, actions: ExternalTaskActions): Promise<void> {
    const { topic } = worker.settings;
    this.metrics.fetched.inc({ topic });
    if (this.stopping) {
      await actions.unlock().catch((error: Error) => this.logger.warn(`Could not unlock external task ${task.id}: ${error.message}`));
      this.metrics.outcomes.inc({ topic, outcome: 'unlocked' });
      return;
    }
    const keeper = new LockKeeper(
      actions,
      worker.settings.lockDurationMs,
      () => this.metrics.lockExtensions.inc({ topic }),
      (error) => this.logger.warn(`Could not extend the lock of external task ${task.id} (${topic}): ${error.message}`),
    );
    this.keepers.add(keeper);
    this.metrics.inFlight.inc({ topic });
    const job: ExternalTaskJob = { ...withoutEngineDetails(task), attempt: attemptOf(worker.settings.retry, task.retries), signal: keeper.signal };
    const endTimer = this.metrics.handlerDuration.startTimer({ topic });
    try {
      const result = (await this.untilGatewayIsBack(keeper, task, () => worker.handler.handle(job))) ?? {};
      endTimer();
      await this.complete(worker, task, actions, keeper, result);
    } catch (error) {
      endTimer();
      await this.report(worker, task, actions, keeper, error as Error);
    } finally {
      keeper.stop();
      this.keepers.delete(keeper);
      this.metrics.inFlight.dec({ topic });
    }
  }

  private async complete(worker: WorkerDefinition, task: LockedExternalTask, actions: ExternalTaskActions, keeper: LockKeeper, result: WorkerResult): Promise<void> {
    const events = result.events ?? [];
    if (events.length > 0) {
      // Written before the completion, so a sync that sees what follows it can never publish ahead of them.
      if (!(await keeper.confirm())) throw new OutcomeDropped();
      await this.untilGatewayIsBack(keeper, task, () =>
        this.refresher.refreshInstance(task.processInstanceId, { domainEvents: events }),
      );
    }
    if (keeper.lostReason) throw new OutcomeDropped();
    try {
      if ((await actions.complete(result.variables, result.localVariables)) === 'lost') throw new OutcomeDropped();
    } catch (error) {
      if (error instanceof OutcomeDropped) throw error;
      // The lock expires and the task is fetched again: at least once. Stable event ids keep its events single.
      this.logger.warn(`Could not complete external task ${task.id} (${worker.settings.topic}): ${(error as Error).message}`);
      this.metrics.outcomes.inc({ topic: worker.settings.topic, outcome: 'completion_failed' });
      return;
    }
    this.metrics.outcomes.inc({ topic: worker.settings.topic, outcome: 'completed' });
    if (worker.settings.refreshMirror) {
      await this.refresher.refreshInstance(task.processInstanceId).catch((error: Error) =>
        this.logger.warn(`Mirror refresh after external task ${task.id} failed (the poll catches up): ${error.message}`),
      );
    }
  }

  private async report(worker: WorkerDefinition, task: LockedExternalTask, actions: ExternalTaskActions, keeper: LockKeeper, error: Error): Promise<void> {
    const { topic, retry } = worker.settings;
    const dropped = () => {
      // Cancelled instance or a lock that ran out and went to another worker: the outcome is not ours to report.
      this.logger.log(`External task ${task.id} (${topic}) is no longer this worker's; its outcome is dropped`);
      this.metrics.outcomes.inc({ topic, outcome: 'dropped' });
    };
    const answer = (outcome: string, request: () => Promise<unknown>) =>
      request().then(
        (engineAnswer) => (engineAnswer === 'lost' ? dropped() : this.metrics.outcomes.inc({ topic, outcome })),
        (reportError: Error) => this.logger.warn(`Could not report the outcome of external task ${task.id} (${topic}): ${reportError.message}`),
      );
    if (error instanceof OutcomeDropped || keeper.lostReason) {
      if (keeper.lostReason === 'shutdown') return answer('unlocked', () => actions.unlock());
      return dropped();
    }
    if (error instanceof BpmnError) return answer('bpmn_error', () => actions.bpmnError(error.code, error.message, error.variables));
    const retries = error instanceof NonRetryableError ? 0 : retriesAfterFailure(retry, task.retries);
    this.logger.warn(`External task ${task.id} (${topic}) failed, ${retries} retries left: ${error.message}`);
    const retryTimeoutMs = retries > 0 ? backoffDelayMs(retry, attemptOf(retry, task.retries)) : 0;
    await answer(retries > 0 ? 'failed' : 'incident', () => actions.fail({ message: error.message, details: error.stack, retries, retryTimeoutMs }));
  }

  /** Runs `step`; while it fails because the gateway itself (database, broker) or the engine is down, waits and retries. */
  private async untilGatewayIsBack<T>(keeper: LockKeeper, task: LockedExternalTask, step: () => Promise<T>): Promise<T> {
    for (let wait = 1; ; wait += 1) {
      try {
        return await abortable(step(), keeper.signal);
      } catch (error) {
        if (keeper.lostReason || !(await this.faults.isGatewayFault(error))) throw error;
        if (wait === 1) this.logger.warn(`External task ${task.id} waits for the gateway to recover: ${(error as Error).message}`);
        this.metrics.gatewayFaultWaits.inc({ topic: task.topic });
        await abortable(delay(Math.min(30_000, 500 * 2 ** Math.min(wait, 6))), keeper.signal).catch(() => undefined);
        if (keeper.lostReason) throw new OutcomeDropped();
      }
    }
  }
}

function withoutEngineDetails(task: LockedExternalTask): Omit<ExternalTaskJob, 'attempt' | 'signal'> {
  const { workerId: _workerId, retries: _retries, ...job } = task;
  return job;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Settles with `work`, or rejects as soon as `signal` aborts: a dropped task never waits for its handler. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new OutcomeDropped());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new OutcomeDropped());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
