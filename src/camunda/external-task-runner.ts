import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { BasicAuthInterceptor, Client, Variables, type Task, type TaskService } from 'camunda-external-task-client-js';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { hostname } from 'node:os';
import { GatewayConfig } from '../config/gateway-config.js';
import type { PlainVariables } from './camunda.models.js';
import { decodeVariable, encodeVariables } from './variable-codec.js';

export interface ExternalTaskJob {
  id: string;
  topic: string;
  processInstanceId: string;
  processDefinitionKey: string;
  businessKey: string | null;
  variables: PlainVariables;
}

export interface ExternalTaskSubscription {
  topic: string;
  /** How many times a failing task is tried before the engine raises an incident. */
  maxAttempts: number;
  retryDelayMs: number;
  /** Does the work; what it returns is set as process variables on completion. */
  handle(job: ExternalTaskJob): Promise<PlainVariables>;
  /** Runs only after the engine has accepted the completion. */
  afterComplete(job: ExternalTaskJob, output: PlainVariables): Promise<void>;
}

/** Fetches and locks external tasks through camunda-external-task-client-js and hands them to subscriptions. */
@Injectable()
export class ExternalTaskRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ExternalTaskRunner.name);
  private client: Client | null = null;
  private pollFailing = false;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;
  private pollReturned: Promise<void> = Promise.resolve();
  private markPollReturned: () => void = () => undefined;
  private readonly agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  constructor(private readonly config: GatewayConfig) {}

  start(subscriptions: ExternalTaskSubscription[]): void {
    if (this.client || subscriptions.length === 0) return;
    const client = new Client({
      baseUrl: this.config.CAMUNDA_URL.replace(/\/+$/, ''),
      workerId: `camunda-gateway-${hostname()}-${process.pid}`,
      maxTasks: this.config.WORKER_MAX_TASKS,
      lockDuration: this.config.WORKER_LOCK_DURATION_MS,
      asyncResponseTimeout: this.config.WORKER_LONG_POLL_MS || undefined,
      autoPoll: false,
      interceptors: [
        new BasicAuthInterceptor({ username: this.config.CAMUNDA_USER, password: this.config.CAMUNDA_PASSWORD }),
        // Node's global agent drops sockets idle for 5s, which kills every long poll; these agents do not.
        (options) => ({ ...options, agent: this.agents }),
      ],
    });
    // The library's default logger is not used: it would print raw errors. These print messages only.
    client.on('poll:start', () => {
      this.pollReturned = new Promise((resolve) => (this.markPollReturned = resolve));
    });
    client.on('poll:error', (error: Error) => {
      this.markPollReturned();
      if (!this.pollFailing) this.logger.warn(`External-task polling failed: ${error.message}; retrying`);
      this.pollFailing = true;
    });
    client.on('handler:error', (error: Error) => this.logger.error(`External-task handler crashed: ${error.message}`));
    client.on('poll:success', () => {
      this.markPollReturned();
      if (this.pollFailing) this.logger.log('External-task polling recovered');
      this.pollFailing = false;
    });
    for (const subscription of subscriptions) {
      client.subscribe(subscription.topic, { lockDuration: this.config.WORKER_LOCK_DURATION_MS }, ({ task, taskService }) => {
        const execution = this.execute(subscription, task, taskService).finally(() => this.inFlight.delete(execution));
        this.inFlight.add(execution);
        return execution;
      });
      this.logger.log(`Worker subscribed to topic '${subscription.topic}'`);
    }
    client.start();
    this.client = client;
  }

  /**
   * Stops fetching and waits for the long poll in flight: tasks it still brings are unlocked at once instead of
   * staying locked to a stopped worker for the lock duration. Tasks in hand finish while the database is up.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.client?.stop();
    this.client = null;
    const longestPoll = this.config.WORKER_LONG_POLL_MS + this.config.CAMUNDA_TIMEOUT_MS;
    await Promise.race([this.pollReturned, new Promise((resolve) => setTimeout(resolve, longestPoll).unref())]);
    await Promise.allSettled([...this.inFlight]);
    // Ends a long poll still waiting on the engine, so shutdown does not hang on it.
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async execute(subscription: ExternalTaskSubscription, task: Task, taskService: TaskService): Promise<void> {
    if (this.stopping) {
      await taskService.unlock(task).catch((error: Error) => this.logger.warn(`Could not unlock external task ${task.id}: ${error.message}`));
      return;
    }
    const job = toJob(task);
    let output: PlainVariables;
    try {
      output = await subscription.handle(job);
    } catch (error) {
      await this.fail(subscription, task, taskService, error as Error);
      return;
    }
    try {
      const variables = new Variables().setAllTyped(encodeVariables(output) ?? {});
      await taskService.complete(task, variables);
    } catch (error) {
      // The lock will expire and the task be fetched again: processing is at least once.
      this.logger.warn(`Could not complete external task ${task.id} (${subscription.topic}): ${(error as Error).message}`);
      return;
    }
    await subscription.afterComplete(job, output).catch((error: Error) =>
      this.logger.error(`After-completion step of external task ${task.id} failed: ${error.message}`),
    );
  }

  private async fail(subscription: ExternalTaskSubscription, task: Task, taskService: TaskService, error: Error): Promise<void> {
    const retries = (task.retries ?? subscription.maxAttempts) - 1;
    this.logger.warn(`External task ${task.id} (${subscription.topic}) failed, ${Math.max(retries, 0)} retries left: ${error.message}`);
    await taskService
      .handleFailure(task, { errorMessage: error.message.slice(0, 600), errorDetails: error.stack, retries: Math.max(retries, 0), retryTimeout: subscription.retryDelayMs })
      .catch((reportError: Error) => this.logger.warn(`Could not report failure of external task ${task.id}: ${reportError.message}`));
  }
}

function toJob(task: Task): ExternalTaskJob {
  const typed = task.variables.getAllTyped();
  return {
    id: task.id,
    topic: task.topicName,
    processInstanceId: task.processInstanceId,
    processDefinitionKey: task.processDefinitionKey,
    businessKey: task.businessKey,
    variables: Object.fromEntries(Object.entries(typed).map(([name, value]) => [name, decodeVariable(value)])),
  };
}
