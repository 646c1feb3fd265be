import { Injectable, Logger } from '@nestjs/common';
import { BasicAuthInterceptor, Client, Variables, type Task, type TaskService } from 'camunda-external-task-client-js';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayConfig } from '../config/gateway-config.js';
import type { PlainVariables } from './camunda.models.js';
import { decodeVariable, encodeVariables, VariableEncodingError } from './variable-codec.js';

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
 * another worker after the lock ran out). Any other refusal throws ExternalTaskRefusedError; an engine that cannot
 * be reached, ExternalTaskEngineUnreachableError.
 */
export type EngineAnswer = 'done' | 'lost';

/** The engine answered, and said no for a reason of the request (bad variables, an engine-side failure). */
export class ExternalTaskRefusedError extends Error {
  override readonly name = 'ExternalTaskRefusedError';

  constructor(
    readonly status: number,
    message: string,
    /** An optimistic-locking conflict with a concurrent transaction (parallel branches joining): trying again works. */
    readonly conflict = false,
  ) {
    super(message);
  }
}

/** No answer from the engine (connection refused or reset, timeout): nothing is known about the request. */
export class ExternalTaskEngineUnreachableError extends Error {
  override readonly name = 'ExternalTaskEngineUnreachableError';
}

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
  /** Stops fetching; a fetch in flight is ended by closeFetches. */
  stop(): void;
}

export type LockedTaskHandler = (task: LockedExternalTask, actions: ExternalTaskActions) => Promise<void>;

// The engine's "not yours" answers: 404 (the task is gone with its instance), or 400 about the lock (it expired, or
// another worker holds it). Other 400s are about the request itself (bad variables) and must not read as a lost lock.
const NOT_FOUND = 404;
const BAD_REQUEST = 400;
const LOCK_MESSAGE = /locked by|is not locked|lock (that )?(has )?expired|lock expired|cannot be \w+ by worker/i;
// A proxy in front of the engine answering for it while the engine restarts: no answer from the engine itself.
const ENGINE_UNAVAILABLE_STATUSES = new Set([429, 502, 503, 504]);
// Connection-level failures of got (the client's HTTP library): the request may or may not have reached the engine.
const NETWORK_FAILURES = new Set(['RequestError', 'TimeoutError', 'ReadError', 'UploadError', 'MaxRedirectsError', 'CacheError']);
// While fetching fails, the wait before the next fetch doubles up to this.
const MAX_FETCH_BACKOFF_MS = 30_000;
const FIRST_FETCH_BACKOFF_MS = 500;

/**
 * Fetch-and-lock through camunda-external-task-client-js, one client per topic, so the client's own
 * `maxParallelExecutions` bounds each topic's work in flight across polls.
 */
@Injectable()
export class ExternalTaskTopics {
  private readonly logger = new Logger(ExternalTaskTopics.name);
  // Node's global agent drops sockets idle for 5s, which kills every long poll; these agents do not. Fetches have
  // their own, so shutdown can end a long poll at once while completions and unlocks still go out.
  private readonly fetchAgents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  private readonly actionAgents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
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
        (options) => {
          if (!(options.json as { topics?: unknown } | undefined)?.topics) {
            return { ...options, agent: this.actionAgents, timeout: { request: this.config.CAMUNDA_TIMEOUT_MS } };
          }
          // A fetch after failed ones waits first (got runs async beforeRequest hooks before sending).
          return { ...options, agent: this.fetchAgents, hooks: { beforeRequest: [() => sleep(backoffMs)] } };
        },
      ],
    });
    let backoffMs = 0;
    const status: TopicFetchStatus = { topic: spec.topic, lastFetchAt: null, lastError: null };
    // The library's default logger is not used: it would print raw errors. These print messages only.
    let stopped = false;
    client.on('poll:error', (error: Error) => {
      // A long poll ended by shutdown is no failure.
      if (stopped) return;
      if (status.lastError === null) this.logger.warn(`Fetching external tasks of '${spec.topic}' failed: ${error.message}; retrying with backoff`);
      status.lastError = error.message;
      backoffMs = Math.min(MAX_FETCH_BACKOFF_MS, Math.max(backoffMs * 2, FIRST_FETCH_BACKOFF_MS));
    });
    client.on('poll:success', () => {
      if (status.lastError !== null) this.logger.log(`Fetching external tasks of '${spec.topic}' recovered`);
      status.lastError = null;
      status.lastFetchAt = new Date();
      backoffMs = 0;
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
      async ({ task, taskService }) => {
        const actions = actionsOn(task, taskService);
        let locked: LockedExternalTask;
        try {
          locked = toLockedTask(task);
        } catch (error) {
          // A variable the gateway cannot decode: the task can never be handled here, so it is an incident now.
          this.logger.warn(`External task ${task.id} (${spec.topic}) has variables the gateway cannot decode: ${(error as Error).message}`);
          await actions
            .fail({ message: `The gateway cannot decode the task's variables: ${(error as Error).message}`, retries: 0, retryTimeoutMs: 0 })
            .catch((reportError: unknown) => this.logger.warn(`Could not report external task ${task.id}: ${(reportError as Error).message}`));
          return;
        }
        await handler(locked, actions);
      },
    );
    client.start();
    return {
      status: () => ({ ...status }),
      stop: () => {
        stopped = true;
        client.stop();
      },
    };
  }

  /** Ends the long polls waiting on the engine, so shutdown does not wait for them. */
  closeFetches(): void {
    this.fetchAgents.http.destroy();
    this.fetchAgents.https.destroy();
  }

  /** Closes the connections completions and unlocks went out on; last thing at shutdown. */
  closeConnections(): void {
    this.closeFetches();
    this.actionAgents.http.destroy();
    this.actionAgents.https.destroy();
  }
}

function actionsOn(task: Task, taskService: TaskService): ExternalTaskActions {
  return {
    complete: (variables, localVariables) => {
      const [processScope, localScope] = [typed(variables), typed(localVariables)];
      return answerOf(() => taskService.complete(task, processScope, localScope));
    },
    fail: ({ message, details, retries, retryTimeoutMs }) =>
      answerOf(() =>
        taskService.handleFailure(task, { errorMessage: message.slice(0, 600), errorDetails: details?.slice(0, 4_000), retries, retryTimeout: retryTimeoutMs }),
      ),
    bpmnError: (code, message, variables) => {
      const encoded = typed(variables);
      return answerOf(() => taskService.handleBpmnError(task, code, message, encoded));
    },
    extendLock: (durationMs) => answerOf(() => taskService.extendLock(task, durationMs)),
    unlock: async () => {
      await answerOf(() => taskService.unlock(task));
    },
  };
}

/** The engine's answer in gateway terms. */
async function answerOf(request: () => Promise<void>): Promise<EngineAnswer> {
  try {
    await request();
    return 'done';
  } catch (error) {
    const { httpStatusCode, engineMsg, type, name, message } = error as {
      httpStatusCode?: number;
      engineMsg?: string;
      type?: string;
      name?: string;
      message?: string;
    };
    if (httpStatusCode === undefined) {
      if (name !== undefined && NETWORK_FAILURES.has(name)) throw new ExternalTaskEngineUnreachableError(message ?? name);
      throw error;
    }
    if (ENGINE_UNAVAILABLE_STATUSES.has(httpStatusCode)) throw new ExternalTaskEngineUnreachableError(`engine-rest answered ${httpStatusCode}`);
    if (httpStatusCode === NOT_FOUND || (httpStatusCode === BAD_REQUEST && LOCK_MESSAGE.test(engineMsg ?? ''))) return 'lost';
    throw new ExternalTaskRefusedError(httpStatusCode, engineMsg ?? message ?? `HTTP ${httpStatusCode}`, type === 'OptimisticLockingException');
  }
}

/** Encodes before any request goes out: a value that cannot be sent is the task's problem, never a network one. */
function typed(variables: PlainVariables | undefined): Variables | undefined {
  let encoded: ReturnType<typeof encodeVariables>;
  try {
    encoded = encodeVariables(variables);
  } catch (error) {
    if (error instanceof VariableEncodingError) throw error;
    throw new ExternalTaskRefusedError(0, `the variables cannot be encoded: ${(error as Error).message}`);
  }
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
    // The client has parsed Json values already; parsing them again would turn a JSON string into something else.
    variables: Object.fromEntries(
      Object.entries(typedValues).map(([name, value]) => [name, value.type.toLowerCase() === 'json' ? value.value : decodeVariable(value)]),
    ),
  };
}
