import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ExternalTaskEngineUnreachableError,
  ExternalTaskRefusedError,
  type EngineAnswer,
  type ExternalTaskActions,
  type LockedExternalTask,
} from '../camunda/external-task-topics.js';
import { VariableEncodingError } from '../camunda/variable-codec.js';
import { HeldEvents } from '../events/held-events.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';
import { GatewayFaults } from './gateway-faults.js';
import { LockKeeper } from './lock-keeper.js';
import { attemptOf, backoffDelayMs, retriesAfterFailure } from './retry-policy.js';
import { BpmnError, GatewayUnavailableError, NonRetryableError, type ExternalTaskJob, type WorkerResult } from './worker-api.js';
import type { WorkerDefinition } from './worker-definition.js';
import { checkedEvents, type HeldEvent } from './worker-events.js';
import { WorkerMetrics } from './worker-metrics.js';

/** The task is no longer this worker's; whatever the handler did or does is not reported. */
class OutcomeDropped extends Error {}

/** The engine could not be reached long enough that the report is given up: its fate is unknown. */
class EngineAnswerUnknown extends Error {}

// Shutdown waits this long for the unlocks of tasks it gave up on.
const UNLOCK_WAIT_MS = 5_000;
const FIRST_WAIT_MS = 500;
const LONGEST_WAIT_MS = 30_000;
// Held events outlast the task's lock by this much: room for the waits before the completion's answer.
const HOLD_MARGIN_MS = 5 * 60_000;
const CONFLICT_RETRIES = 5;
const CONFLICT_PAUSE_MS = 50;

/**
 * Runs one locked task through its handler and tells the engine the outcome: completion (its events written held
 * first, released once the engine accepted, discarded if the task was no longer ours), BPMN error, failure with the
 * next backoff step, or an incident. The handler's own errors are judged by their class only. The runtime's own steps
 * wait out a gateway or engine outage, with the task's retries untouched.
 */
@Injectable()
export class ExternalTaskExecutor {
  private readonly logger = new Logger(ExternalTaskExecutor.name);
  private readonly keepers = new Set<LockKeeper>();
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly refresher: InstanceRefresher,
    private readonly held: HeldEvents,
    private readonly faults: GatewayFaults,
    private readonly metrics: WorkerMetrics,
  ) {}

  /** Settles when the handler has really ended, so the topic's bound counts handlers, not reports. */
  execute(worker: WorkerDefinition, task: LockedExternalTask, actions: ExternalTaskActions): Promise<void> {
    const execution = this.run(worker, task, actions).finally(() => this.running.delete(execution));
    this.running.add(execution);
    return execution;
  }

  /** From now on tasks that arrive are unlocked at once. */
  stopTaking(): void {
    this.stopping = true;
  }

  /** Lets tasks in hand finish until the deadline; then drops the rest and unlocks them for another worker. */
  async drain(deadlineMs: number): Promise<void> {
    this.stopTaking();
    const timedOut = await Promise.race([Promise.allSettled([...this.running]).then(() => false), delay(deadlineMs).then(() => true)]);
    if (!timedOut) return;
    this.logger.warn(`Shutdown deadline passed with ${this.running.size} external task(s) in hand; unlocking them`);
    for (const keeper of this.keepers) keeper.giveUp('shutdown');
    await Promise.race([Promise.allSettled([...this.running]), delay(UNLOCK_WAIT_MS)]);
  }

  private async run(worker: WorkerDefinition, task: LockedExternalTask, actions: ExternalTaskActions): Promise<void> {
    const { topic } = worker.settings;
    this.metrics.fetched.inc({ topic });
    if (this.stopping) {
      await this.answer(topic, task, 'unlocked', () => actions.unlock().then(() => 'done' as const));
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
    let handling: Promise<unknown> = Promise.resolve();
    try {
      const result = await this.handleUntilGatewayIsBack(worker, job, keeper, (current) => {
        handling = current;
      });
      await this.complete(worker, task, actions, keeper, result ?? {});
    } catch (error) {
      await this.report(worker, task, actions, keeper, error);
    } finally {
      await keeper.settle();
      this.keepers.delete(keeper);
      await handling.catch(() => undefined);
      this.metrics.inFlight.dec({ topic });
    }
  }

  /** The handler, run again (same lock, no retry spent) only while it says the gateway is unavailable. */
  private async handleUntilGatewayIsBack(
    worker: WorkerDefinition,
    job: ExternalTaskJob,
    keeper: LockKeeper,
    started: (handling: Promise<unknown>) => void,
  ): Promise<WorkerResult | void> {
    for (let wait = 0; ; wait += 1) {
      const endTimer = this.metrics.handlerDuration.startTimer({ topic: job.topic });
      const handling = Promise.resolve()
        .then(() => worker.handler.handle(job))
        .finally(() => endTimer());
      started(handling);
      try {
        return await abortable(handling, keeper.signal);
      } catch (error) {
        if (!(error instanceof GatewayUnavailableError) || keeper.lostReason) throw error;
        await this.waitForRecovery(keeper, job.id, job.topic, wait, error);
      }
    }
  }

  private async complete(
    worker: WorkerDefinition,
    task: LockedExternalTask,
    actions: ExternalTaskActions,
    keeper: LockKeeper,
    result: WorkerResult,
  ): Promise<void> {
    const { topic, lockDurationMs } = worker.settings;
    // Long enough to outlast any wait below; ends a hold nobody settles (the gateway died before the completion).
    const hold = { ms: lockDurationMs + HOLD_MARGIN_MS, by: randomUUID() };
    const events = checkedEvents(task.id, result.events, hold);
    const ids = events.map((event) => event.id);
    let answer: EngineAnswer;
    try {
      if (events.length > 0) await this.writeHeld(task, keeper, events);
      if (keeper.lostReason) throw new OutcomeDropped();
      await keeper.settle();
      answer = await this.engineAnswer(keeper, task, 'completion', () => actions.complete(result.variables, result.localVariables));
      if (answer === 'lost') throw new OutcomeDropped();
    } catch (error) {
      // Not discarded when the engine's answer is unknown (given up waiting): the task comes back, its redelivery
      // finds the events written and releases them, or their hold runs out.
      if (!(error instanceof EngineAnswerUnknown)) {
        await this.untilGatewayIsBackForSettling(task, 'discard', () => this.refresher.discardHeldEvents(task.processInstanceId, ids, hold.by));
      }
      throw error;
    }
    await this.untilGatewayIsBackForSettling(task, 'release', () => this.held.release(ids));
    this.metrics.outcomes.inc({ topic, outcome: 'completed' });
    if (worker.settings.refreshMirror) {
      await this.refresher
        .refreshInstance(task.processInstanceId)
        .catch((error: unknown) => this.logger.warn(`Mirror refresh after external task ${task.id} failed (the poll catches up): ${messageOf(error)}`));
    }
  }

  /**
   * Releases or discards held events, waiting out a gateway outage (bounded: past the hold, the rows settle themselves
   * by running out).
   */
  private async untilGatewayIsBackForSettling(task: LockedExternalTask, what: string, step: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + HOLD_MARGIN_MS;
    for (let wait = 0; ; wait += 1) {
      try {
        await step();
        return;
      } catch (error) {
        if (Date.now() > deadline || !(await this.faults.isGatewayFault(error))) {
          this.logger.warn(`Could not ${what} the held events of external task ${task.id}: ${messageOf(error)}; their hold runs out by itself`);
          return;
        }
        if (wait === 0) this.logger.warn(`The ${what} of external task ${task.id}'s events waits for the gateway to recover: ${messageOf(error)}`);
        this.metrics.gatewayFaultWaits.inc({ topic: task.topic });
        await delay(Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** wait));
      }
    }
  }

  /**
   * Writes the events (held) with a refresh of the instance, so they sit in order in its history. No lock check
   * first: held events of a task that turns out not to be ours any more are discarded with the completion's answer.
   * A failure that is not an outage (the events cannot be stored) is the task's incident.
   */
  private async writeHeld(task: LockedExternalTask, keeper: LockKeeper, events: HeldEvent[]): Promise<void> {
    for (let wait = 0; ; wait += 1) {
      if (keeper.lostReason) throw new OutcomeDropped();
      const writing = this.refresher.refreshInstance(task.processInstanceId, { domainEvents: events });
      try {
        await abortable(writing, keeper.signal);
        return;
      } catch (error) {
        if (error instanceof OutcomeDropped || keeper.lostReason) {
          // The write goes on after the lock is lost: the discard that follows must not run before it commits, but a
          // shutdown's unlock must not wait long for it either. A write that outlasts the wait is not discarded: its
          // events are published once their hold runs out, as after a crash between writing them and completing.
          await Promise.race([writing.catch(() => undefined), delay(UNLOCK_WAIT_MS)]);
          throw new OutcomeDropped();
        }
        if (!(await this.faults.isGatewayFault(error))) throw new NonRetryableError(`The gateway could not record the task's events: ${messageOf(error)}`);
        await this.waitForRecovery(keeper, task.id, task.topic, wait, error);
      }
    }
  }

  private async report(worker: WorkerDefinition, task: LockedExternalTask, actions: ExternalTaskActions, keeper: LockKeeper, thrown: unknown): Promise<void> {
    const { topic, retry } = worker.settings;
    await keeper.settle();
    if (thrown instanceof EngineAnswerUnknown) {
      this.metrics.outcomes.inc({ topic, outcome: 'report_failed' });
      return;
    }
    if (thrown instanceof OutcomeDropped || keeper.lostReason) {
      if (keeper.lostReason === 'shutdown') await this.answer(topic, task, 'unlocked', () => actions.unlock().then(() => 'done' as const));
      else this.dropped(topic, task);
      return;
    }
    const error = asError(thrown);
    if (error instanceof BpmnError && error.code.trim() !== '') {
      const reported = await this.answer(topic, task, 'bpmn_error', () =>
        this.engineAnswer(keeper, task, 'BPMN error', () => actions.bpmnError(error.code, error.message, error.variables)),
      );
      if (reported) return;
    }
    const retries = error instanceof NonRetryableError || error instanceof BpmnError ? 0 : retriesAfterFailure(retry, task.retries);
    const message = error instanceof BpmnError ? `BPMN error '${error.code}' could not be thrown: ${error.message}` : error.message;
    this.logger.warn(`External task ${task.id} (${topic}) failed, ${retries} retries left: ${message}`);
    const retryTimeoutMs = retries > 0 ? backoffDelayMs(retry, attemptOf(retry, task.retries)) : 0;
    await this.answer(topic, task, retries > 0 ? 'failed' : 'incident', () =>
      this.engineAnswer(keeper, task, 'failure', () => actions.fail({ message: message || error.name, details: error.stack, retries, retryTimeoutMs })),
    );
  }

  /** Sends a report; true when the engine took it. A refusal is logged (the lock runs out, the task comes back). */
  private async answer(topic: string, task: LockedExternalTask, outcome: string, request: () => Promise<EngineAnswer>): Promise<boolean> {
    try {
      if ((await request()) === 'lost') {
        this.dropped(topic, task);
        return true;
      }
      this.metrics.outcomes.inc({ topic, outcome });
      return true;
    } catch (error) {
      this.logger.warn(`Could not report the outcome of external task ${task.id} (${topic}): ${messageOf(error)}`);
      this.metrics.outcomes.inc({ topic, outcome: 'report_failed' });
      return false;
    }
  }

  /**
   * The engine's answer to a report. An engine that cannot be reached is waited for, up to the task's lock duration
   * (the lock is not renewed meanwhile: a renewal could undo what the report set); then the answer is unknown. An
   * optimistic-locking conflict (parallel branches joining) is tried again at once, a few times. Any other refusal
   * (bad variables) becomes a NonRetryableError with the engine's words. A "no longer yours" after an attempt whose
   * answer was lost means that attempt went through.
   */
  private async engineAnswer(keeper: LockKeeper, task: LockedExternalTask, what: string, request: () => Promise<EngineAnswer>): Promise<EngineAnswer> {
    const deadline = Date.now() + keeper.lockDurationMs;
    let answerLost = false;
    for (let wait = 0, conflicts = 0; ;) {
      try {
        const answer = await request();
        return answer === 'lost' && answerLost ? 'done' : answer;
      } catch (error) {
        if (error instanceof ExternalTaskRefusedError && error.conflict && conflicts < CONFLICT_RETRIES) {
          conflicts += 1;
          await delay(CONFLICT_PAUSE_MS * conflicts);
          continue;
        }
        if (error instanceof VariableEncodingError || error instanceof ExternalTaskRefusedError) {
          throw new NonRetryableError(`The engine refused the ${what}: ${error.message}`);
        }
        if (!(error instanceof ExternalTaskEngineUnreachableError) || keeper.lostReason) throw error;
        answerLost = true;
        if (Date.now() > deadline) {
          this.logger.warn(`Gave up waiting for the engine to take the ${what} of external task ${task.id}: ${error.message}; the task comes back`);
          throw new EngineAnswerUnknown();
        }
        await this.waitForRecovery(keeper, task.id, task.topic, wait, error);
        wait += 1;
        if (keeper.lostReason) throw new OutcomeDropped();
      }
    }
  }

  private dropped(topic: string, task: LockedExternalTask): void {
    // Cancelled instance, or a lock that ran out and went to another worker: the outcome is not ours to report.
    this.logger.log(`External task ${task.id} (${topic}) is no longer this worker's; its outcome is dropped`);
    this.metrics.outcomes.inc({ topic, outcome: 'dropped' });
  }

  private async waitForRecovery(keeper: LockKeeper, taskId: string, topic: string, wait: number, error: unknown): Promise<void> {
    if (wait === 0) this.logger.warn(`External task ${taskId} (${topic}) waits for the gateway to recover: ${messageOf(error)}`);
    this.metrics.gatewayFaultWaits.inc({ topic });
    await delay(Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** wait), keeper.signal);
    if (keeper.lostReason) throw new OutcomeDropped();
  }
}

function withoutEngineDetails(task: LockedExternalTask): Omit<ExternalTaskJob, 'attempt' | 'signal'> {
  const { workerId: _workerId, retries: _retries, ...job } = task;
  return job;
}

/** A handler may throw anything; the engine is told in words either way. */
function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(`The handler threw ${thrown === null ? 'null' : typeof thrown}: ${String(thrown).slice(0, 200)}`);
}

function messageOf(error: unknown): string {
  return asError(error).message;
}

/** Resolves after `ms`, or at once when `signal` aborts; never keeps the process alive by itself. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return sleep(ms, undefined, { signal, ref: false }).catch(() => undefined);
}

/** Settles with `work`, or rejects as soon as `signal` aborts: a dropped task never waits for its handler's answer. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new OutcomeDropped());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new OutcomeDropped());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
