import { Injectable, type Type } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import { PublishEventWorker } from '../src/workers/publish-event.worker.js';
import { TicketProcessingWorker } from '../src/workers/ticket-processing.worker.js';
import { ExternalTaskWorker, type WorkerSettings } from '../src/workers/worker-api.js';

const BUILT_IN_WORKERS: Type[] = [PublishEventWorker, TicketProcessingWorker];

/**
 * The gateway's own workers, their handlers unchanged, fetching only tasks of the bench's process keys. The engine is
 * shared with other work (e2e runs use gateway.publish and ticket-processing too): a bench gateway must neither take
 * their tasks, which would break them, nor count them. Their fetches carry one filter more; nothing else differs,
 * unless a diagnosis run asks for `changed` settings.
 */
export function builtInWorkersOnly(builder: TestingModuleBuilder, processKeys: string[], changed: Partial<WorkerSettings> = {}): TestingModuleBuilder {
  for (const worker of BUILT_IN_WORKERS) {
    const settings = Reflect.getMetadata(ExternalTaskWorker.KEY, worker) as WorkerSettings | undefined;
    if (!settings) throw new Error(`${worker.name} is no longer an @ExternalTaskWorker; update bench/own-tasks-only.ts`);
    const narrowed = class extends worker {};
    Object.defineProperty(narrowed, 'name', { value: `${worker.name}ForBench` });
    Injectable()(narrowed);
    ExternalTaskWorker({ ...settings, ...changed, processDefinitionKeys: processKeys })(narrowed);
    builder.overrideProvider(worker).useClass(narrowed);
  }
  return builder;
}
