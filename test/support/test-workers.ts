import { Injectable, Module, type DynamicModule, type Type } from '@nestjs/common';
import { ExternalTaskWorkersModule } from '../../src/workers/external-task-workers.module.js';
import { ExternalTaskWorker, type ExternalTaskHandler, type ExternalTaskJob, type WorkerResult, type WorkerSettings } from '../../src/workers/worker-api.js';

export interface TestWorker {
  settings: WorkerSettings;
  handle(job: ExternalTaskJob): Promise<WorkerResult | void>;
}

function handlerClass({ settings, handle }: TestWorker): Type<ExternalTaskHandler> {
  const worker = class implements ExternalTaskHandler {
    handle(job: ExternalTaskJob): Promise<WorkerResult | void> {
      return handle(job);
    }
  };
  Object.defineProperty(worker, 'name', { value: `Worker_${settings.topic.replace(/\W/g, '_')}` });
  Injectable()(worker);
  return worker;
}

/** A module of @ExternalTaskWorker providers, as an application adds its own workers beside the gateway's. */
export function testWorkersModule(workers: TestWorker[]): Type {
  const providers = workers.map((worker) => {
    const handler = handlerClass(worker);
    ExternalTaskWorker(worker.settings)(handler);
    return handler;
  });
  @Module({ providers })
  class TestWorkersModule {}
  return TestWorkersModule;
}

/** The same workers registered through the module option, handler classes without the decorator. */
export function registeredWorkersModule(workers: TestWorker[]): DynamicModule {
  return ExternalTaskWorkersModule.register({ workers: workers.map((worker) => ({ ...worker.settings, handler: handlerClass(worker) })) });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when `signal` aborts, or after `ms`: a handler that works until it is told to stop. */
export function untilAborted(signal: AbortSignal, ms: number): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      { once: true },
    );
  });
}
