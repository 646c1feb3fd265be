import { Injectable, Module, type Type } from '@nestjs/common';
import { ExternalTaskWorker, type ExternalTaskHandler } from '../src/workers/worker-api.js';
import { eventually } from '../test/support/eventually.js';
import type { WorkerBounds, WorkerRun } from './bare-worker.js';
import { bootGateway } from './gateway-boot.js';
import { CompletionCounter } from './completion-counter.js';
import { openExternalTasks } from './worker-models.js';

/**
 * A module with one no-op worker for `topic`, as an application would declare it. The topic is unique per run, so
 * the decorator is applied here to a class made for it instead of on a class declaration.
 */
function noOpWorkerModule(topic: string, maxInFlight: number, handled: CompletionCounter): Type {
  const NoOpWorker = class implements ExternalTaskHandler {
    async handle(): Promise<void> {
      handled.add();
    }
  };
  Injectable()(NoOpWorker);
  ExternalTaskWorker({ topic, maxInFlight, refreshMirror: false, variables: [] })(NoOpWorker);
  const BenchWorkerModule = class {};
  Module({ providers: [NoOpWorker] })(BenchWorkerModule);
  return BenchWorkerModule;
}

/**
 * Side B: the gateway's worker runtime in the real AppModule, WORKERS_ENABLED=true. The clock starts when init()
 * begins (the workers start at bootstrap) and stops when the engine holds none of the topic's tasks any more: the
 * handler only sees a task, the runtime completes it afterwards.
 */
export async function runGatewayWorker(
  topic: string,
  tasks: number,
  bounds: WorkerBounds,
  env: Record<string, string>,
  ownProcessKeys: string[],
): Promise<WorkerRun & { initMs: number }> {
  const handled = new CompletionCounter(tasks, `gateway worker on ${topic}`);
  const gateway = await bootGateway(
    {
      ...env,
      WORKERS_ENABLED: 'true',
      WORKER_MAX_TASKS: String(bounds.maxTasks),
      WORKER_POLL_INTERVAL_MS: String(bounds.pollIntervalMs),
      WORKER_LONG_POLL_MS: String(bounds.longPollMs),
    },
    { modules: [noOpWorkerModule(topic, bounds.maxParallelExecutions, handled)], ownProcessKeys },
  );
  try {
    await handled.reached(bounds.stallMs);
    // Polled only once every task was handled, so the engine is not asked anything extra while the worker runs.
    await eventually(
      async () => {
        const left = await openExternalTasks(topic);
        if (left > 0) throw new Error(`gateway worker: the engine still holds ${left} tasks of ${topic}`);
      },
      bounds.stallMs,
      10,
    );
    const doneAt = performance.now();
    return {
      startedAt: gateway.initStartedAt,
      ms: doneAt - gateway.initStartedAt,
      fromFirstTaskMs: doneAt - handled.firstAt!,
      firstTaskMs: handled.firstAt! - gateway.initStartedAt,
      initMs: gateway.initMs,
    };
  } finally {
    await gateway.app.close();
  }
}
