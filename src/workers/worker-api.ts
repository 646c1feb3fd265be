import { DiscoveryService } from '@nestjs/core';
import type { PlainVariables } from '../camunda/camunda.models.js';
import type { PublishedEventType } from '../events/event-types.js';

/** How a failing task is retried: the engine's retries and retry timeouts, as the engine records them. */
export interface RetryPolicy {
  /** Tries in all, the first included; after the last failure the engine raises an incident. */
  attempts: number;
  initialDelayMs: number;
  factor: number;
  maxDelayMs: number;
  /** Up to this share of each delay is taken off at random, so failed tasks do not come back in step. */
  jitter: number;
}

/** One topic's worker: what it fetches, how long it holds a lock, how much it does at once, how it retries. */
export interface WorkerSettings {
  topic: string;
  /** Variables fetched with each task; none unless named, so a task never drags in every variable of its instance. */
  variables?: string[];
  /** Fetch only variables local to the task's execution. */
  localVariables?: boolean;
  /** Lock taken at fetch and renewed while the handler runs (default WORKER_LOCK_DURATION_MS). */
  lockDurationMs?: number;
  /** Most tasks of this topic handled at once, across polls (default WORKER_MAX_IN_FLIGHT). */
  maxInFlight?: number;
  retry?: Partial<RetryPolicy>;
  tenantIds?: string[];
  processDefinitionKeys?: string[];
  /** Refresh the instance's mirror right after each completion (default true), so readers see its next state at once. */
  refreshMirror?: boolean;
}

export interface ExternalTaskJob {
  id: string;
  topic: string;
  processInstanceId: string;
  processDefinitionKey: string;
  activityId: string;
  businessKey: string | null;
  tenantId: string | null;
  /** 1 on the first try, counting the tries the engine has recorded failures of. */
  attempt: number;
  variables: PlainVariables;
  /** Aborted when the task is no longer this worker's (lock refused, shutdown deadline): stop, the outcome is dropped. */
  signal: AbortSignal;
}

/** An event the handler's success adds to the instance's history, published in order with the mirror's own. */
export interface WorkerEvent {
  type: PublishedEventType;
  data: Record<string, unknown>;
  /**
   * A UUID. Given or not, the event is idempotent: without one it is derived from the external task id, its place in
   * the list and its type, so a redelivered task that produces it again does not publish it twice.
   */
  id?: string;
}

export interface WorkerResult {
  /** Set on the process instance when the task completes. */
  variables?: PlainVariables;
  /** Set on the task's execution only. */
  localVariables?: PlainVariables;
  /** Written to the outbox just before the completion, only while the task is still this worker's. */
  events?: WorkerEvent[];
}

/** A topic's handler: a NestJS provider marked with @ExternalTaskWorker. Throw BpmnError, NonRetryableError or any error. */
export interface ExternalTaskHandler {
  handle(job: ExternalTaskJob): Promise<WorkerResult | void>;
}

/** Thrown by a handler: the engine routes it to the matching error boundary event (handleBpmnError); the code must not be empty. */
export class BpmnError extends Error {
  override readonly name = 'BpmnError';

  constructor(
    readonly code: string,
    message?: string,
    readonly variables?: PlainVariables,
  ) {
    super(message ?? code);
  }
}

/** Thrown by a handler when trying again cannot help (bad input): an incident at once, no retries. */
export class NonRetryableError extends Error {
  override readonly name = 'NonRetryableError';
}

/**
 * Thrown by a handler when what failed is the gateway itself (its database or broker, through a gateway service):
 * the task keeps its lock and its retries, and the handler runs again once a wait has passed.
 */
export class GatewayUnavailableError extends Error {
  override readonly name = 'GatewayUnavailableError';
}

/** Marks a provider as the handler of a topic; discovered at boot. */
export const ExternalTaskWorker = DiscoveryService.createDecorator<WorkerSettings>();
