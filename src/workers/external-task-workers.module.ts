import { Module, type DynamicModule, type ModuleMetadata, type Provider, type Type } from '@nestjs/common';
import type { ExternalTaskHandler, WorkerSettings } from './worker-api.js';

/** A topic's handler class and its settings, given as a module option instead of the @ExternalTaskWorker decorator. */
export interface WorkerRegistration extends WorkerSettings {
  handler: Type<ExternalTaskHandler>;
}

export interface ExternalTaskWorkersOptions {
  workers: WorkerRegistration[];
  /** Modules whose exported providers the handlers inject. */
  imports?: ModuleMetadata['imports'];
}

/** What the runtime finds beside the decorated providers: a handler instance with the settings it was registered with. */
export class RegisteredWorker {
  constructor(
    readonly settings: WorkerSettings,
    readonly handler: ExternalTaskHandler,
  ) {}
}

/**
 * Registers handler classes for topics from application code, e.g. settings read from its own configuration:
 * `ExternalTaskWorkersModule.register({ workers: [{ topic: 'invoice', handler: InvoiceHandler, maxInFlight: 4 }] })`.
 * The handlers run exactly like @ExternalTaskWorker providers (same runtime, settings validation, metrics).
 */
@Module({})
export class ExternalTaskWorkersModule {
  static register(options: ExternalTaskWorkersOptions): DynamicModule {
    const providers: Provider[] = options.workers.flatMap(({ handler, ...settings }) => [
      handler,
      {
        provide: Symbol(`external-task worker for topic ${settings.topic}`),
        useFactory: (instance: ExternalTaskHandler) => new RegisteredWorker(settings, instance),
        inject: [handler],
      },
    ]);
    return { module: ExternalTaskWorkersModule, imports: options.imports ?? [], providers };
  }
}
