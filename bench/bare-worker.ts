import { BasicAuthInterceptor, Client, type Task } from 'camunda-external-task-client-js';
import { Agent } from 'node:http';
import { testEnv } from '../test/support/test-env.js';
import { GatewayConfig } from '../src/config/gateway-config.js';
import { CompletionCounter } from './completion-counter.js';
import { openExternalTasks } from './worker-models.js';

export interface WorkerRun {
  /** performance.now() when the clock started. */
  startedAt: number;
  /** From the start (client.start() or the app's init()) until the last completion. */
  ms: number;
  /** From the first task in a handler until the last completion: the steady rate, start-up left out. */
  fromFirstTaskMs: number;
  /** From the start until the first task reached a handler. */
  firstTaskMs: number;
}

export interface WorkerBounds {
  maxTasks: number;
  maxParallelExecutions: number;
  /** The library's pause after each fetch (`interval`), the gateway's WORKER_POLL_INTERVAL_MS. */
  pollIntervalMs: number;
  longPollMs: number;
  stallMs: number;
}

/** What the bare handler does before it completes a task (nothing unless given), and the variables it fetches. */
export interface BareWork {
  variables: string[];
  beforeComplete(task: Task): Promise<void>;
}

// The lock the gateway's workers take by default (WORKER_LOCK_DURATION_MS), instead of the library's 50 s.
const GATEWAY_LOCK_DURATION_MS = new GatewayConfig().WORKER_LOCK_DURATION_MS;
const NO_WORK: BareWork = { variables: [], beforeComplete: async () => undefined };

/**
 * Side A: camunda-external-task-client-js on its own, configured as the gateway configures it (one client per
 * topic, basic auth, a keep-alive agent, the same poll interval and lock duration), completing each task at once.
 */
export async function runBareWorker(topic: string, tasks: number, bounds: WorkerBounds, work: BareWork = NO_WORK): Promise<WorkerRun> {
  // Node's global agent drops idle sockets after 5 s, which would cut long polls: a keep-alive agent, as the gateway's.
  const agent = new Agent({ keepAlive: true });
  const client = new Client({
    baseUrl: testEnv.camundaUrl,
    workerId: `bench-bare-${process.pid}`,
    maxTasks: bounds.maxTasks,
    maxParallelExecutions: bounds.maxParallelExecutions,
    interval: bounds.pollIntervalMs,
    lockDuration: GATEWAY_LOCK_DURATION_MS,
    asyncResponseTimeout: bounds.longPollMs,
    autoPoll: false,
    interceptors: [
      new BasicAuthInterceptor({ username: testEnv.camundaUser, password: testEnv.camundaPassword }),
      (options) => ({ ...options, agent: { http: agent } }),
    ],
  });
  const completed = new CompletionCounter(tasks, `bare client on ${topic}`);
  let firstTaskAt: number | null = null;
  let stopped = false;
  // Destroying the agent at the end cuts the long poll then in flight: that error is ours, not the engine's.
  client.on('poll:error', (error: Error) => stopped || console.warn(`bare client: poll failed: ${error.message}`));
  client.on('handler:error', (error: Error) => console.warn(`bare client: handler failed: ${error.message}`));
  client.subscribe(topic, { variables: work.variables }, async ({ task, taskService }) => {
    firstTaskAt ??= performance.now();
    await work.beforeComplete(task);
    await taskService.complete(task);
    completed.add();
  });
  const startedAt = performance.now();
  client.start();
  try {
    await completed.reached(bounds.stallMs);
  } finally {
    stopped = true;
    client.stop();
    agent.destroy();
  }
  const left = await openExternalTasks(topic);
  if (left !== 0) throw new Error(`bare client: the engine still holds ${left} tasks of ${topic} after ${tasks} completions`);
  return { startedAt, ms: completed.doneAt! - startedAt, fromFirstTaskMs: completed.doneAt! - firstTaskAt!, firstTaskMs: firstTaskAt! - startedAt };
}
