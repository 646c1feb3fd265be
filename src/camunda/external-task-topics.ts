import { Injectable, Logger } from '@nestjs/common';
import { BasicAuthInterceptor, Client, Variables, type Task, type TaskService } from 'camunda-external-task-client-js';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { hostname } from 'node:os';
import { GatewayConfig } from '../config/gateway-config.js';
import type { PlainVariables } from './camunda.models.js';
import { decodeVariable, encodeVariables } from './variable-codec.js';

/** What a topic's poller asks the engine for: camunda-external-task-client-js's topic options, in gateway terms. */
export interface TopicFetchSpec {
  topic: string;
  lockDurationMs: number;
  /** Most tasks of this topic in hand at once, across polls. */
  maxInFlight: number;
  /** Variables fetched with each task; an empty list fetches none. */
  variables: string[];
  localVariables: boolean;
  tenantIds?: string[];
  processDefinitionKeys?: string[];
}

export interface LockedExternalTask {
  id: string;
  topic: string;
  workerId: string;
  processInstanceId: string;
  processDefinitionKey: string;
  activityId: string;
  businessKey: string | null;
  tenantId: string | null;
  /** The engine's retries left; null until a failure has been reported once. */
  retries: number | null;
  variables: PlainVariables;
}

export interface FailureReport {
  message: string;
  details?: string;
  retries: number;
  retryTimeoutMs: number;
}

/**
 * `lost`: the engine refused because the task is no longer this worker's (gone with its instance, or locked by
 * another worker after the lock ran out). An engine that cannot be reached throws.
 */
export type EngineAnswer = 'done' | 'lost';

/** What a worker can answer the engine about one locked task. */
export interface ExternalTaskActions {
  complete(variables?: PlainVariables, localVariables?: PlainVariables): Promise<EngineAnswer>;
  fail(report: FailureReport): Promise<EngineAnswer>;
  bpmnError(code: string, message?: string, variables?: PlainVariables): Promise<EngineAnswer>;
  extendLock(durationMs: number): Promise<EngineAnswer>;
  unlock(): Promise<void>;
}

export interface TopicFetchStatus {
  topic: string;
  /** When a fetch last succeeded, null before the first. */
  lastFetchAt: Date | null;
  /** The last fetch's error, null once a fetch succeeds again. */
  lastError: string | null;
}

export interface TopicPoller {
  status(): TopicFetchStatus;
  /** Stops fetching; resolves when the fetch in flight has returned (or after `maxWaitMs`). */
  stop(maxWaitMs: number): Promise<void>;
}

export type LockedTaskHandler = (task: LockedExternalTask, actions: ExternalTaskActions) => Promise<void>;

// HTTP statuses with which the engine refuses a request on a task that is no longer this worker's.
const LOCK_REFUSED = new Set([400, 404]);

/**
 * Fetch-and-lock through camunda-external-task-client-js, one client per topic, so the client's own
 * `maxParallelExecutions` bounds each topic's work in flight across polls.
 */
@Injectable()
export class ExternalTaskTopics {
  private readonly logger = new Logger(ExternalTaskTopics.name);
  // Node's global agent drops sockets idle for 5s, which kills every long poll; these agents do not.
  private readonly agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  readonly workerId = `camunda-gateway-${hostname()}-${process.pid}`;

  constructor(private readonly config: GatewayConfig) {}

  poll(spec: TopicFetchSpec, handler: LockedTaskHandler): TopicPoller {
    const client = new Client({
      baseUrl: this.config.CAMUNDA_URL.replace(/\/+$/, ''),
      workerId: this.workerId,
      maxTasks: Math.min(this.config.WORKER_MAX_TASKS, spec.maxInFlight),
      maxParallelExecutions: spec.maxInFlight,
      interval: this.config.WORKER_POLL_INTERVAL_MS,
      lockDuration: spec.lockDurationMs,
      asyncResponseTimeout: this.config.WORKER_LONG_POLL_MS || undefined,
      autoPoll: false,
      interceptors: [
        new BasicAuthInterceptor({ username: this.config.CAMUNDA_USER, password: this.config.CAMUNDA_PASSWORD }),
        (options) => ({ ...options, agent: this.agents }),
      ],
    });
    const status: TopicFetchStatus = { topic: spec.topic, lastFetchAt: null, lastError: null };
    let pollReturned: Promise<void> = Promise.resolve();
    let markPollReturned = () => undefined as void;
    // The library's default logger is not used: it would print raw errors. These print messages only.
    client.on('poll:start', () => {
      pollReturned = new Promise((resolve) => (markPollReturned = resolve));
    });
    client.on('poll:error', (error: Error) => {
      markPollReturned();
      if (status.lastError === null) this.logger.warn(`Fetching external tasks of '${spec.topic}' failed: ${error.message}; retrying`);
      status.lastError = error.message;
    });
    client.on('poll:success', () => {
      markPollReturned();
      if (status.lastError !== null) this.logger.log(`Fetching external tasks of '${spec.topic}' recovered`);
      status.lastError = null;
      status.lastFetchAt = new Date();
    });
    client.subscribe(
      spec.topic,
      {
        lockDuration: spec.lockDurationMs,
        variables: spec.variables,
        localVariables: spec.localVariables,
        ...(spec.tenantIds ? { tenantIdIn: spec.tenantIds } : {}),
        ...(spec.processDefinitionKeys ? { processDefinitionKeyIn: spec.processDefinitionKeys } : {}),
      },
      ({ task, taskService }) => handler(toLockedTask(task), actionsOn(task, taskService)),
    );
    client.start();
    return {
      status: () => ({ ...status }),
      stop: async (maxWaitMs) => {
        client.stop();
        await Promise.race([pollReturned, new Promise((resolve) => setTimeout(resolve, maxWaitMs).unref())]);
      },
    };
  }

  /** Ends long polls still waiting on the engine, so shutdown does not hang on them. */
  closeConnections(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}

function actionsOn(task: Task, taskService: TaskService): ExternalTaskActions {
  return {
    complete: (variables, localVariables) => unlessLost(taskService.complete(task, typed(variables), typed(localVariables))),
    fail: ({ message, details, retries, retryTimeoutMs }) =>
      unlessLost(taskService.handleFailure(task, { errorMessage: message.slice(0, 600), errorDetails: details, retries, retryTimeout: retryTimeoutMs })),
    bpmnError: (code, message, variables) => unlessLost(taskService.handleBpmnError(task, code, message, typed(variables))),
    extendLock: (durationMs) => unlessLost(taskService.extendLock(task, durationMs)),
    unlock: () => taskService.unlock(task),
  };
}

async function unlessLost(request: Promise<void>): Promise<EngineAnswer> {
  try {
    await request;
    return 'done';
  } catch (error) {
    if (LOCK_REFUSED.has((error as { httpStatusCode?: number }).httpStatusCode ?? 0)) return 'lost';
    throw error;
  }
}

function typed(variables: PlainVariables | undefined): Variables | undefined {
  const encoded = encodeVariables(variables);
  return encoded ? new Variables().setAllTyped(encoded) : undefined;
}

function toLockedTask(task: Task): LockedExternalTask {
  const typedValues = task.variables.getAllTyped();
  return {
    id: task.id,
    topic: task.topicName,
    workerId: task.workerId,
    processInstanceId: task.processInstanceId,
    processDefinitionKey: task.processDefinitionKey,
    activityId: task.activityId,
    businessKey: task.businessKey,
    tenantId: task.tenantId,
    retries: task.retries,
    variables: Object.fromEntries(Object.entries(typedValues).map(([name, value]) => [name, decodeVariable(value)])),
  };
}
