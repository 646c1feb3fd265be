import { Injectable } from '@nestjs/common';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestState {
  requestId: string;
}

// One store for the process: the request-id middleware enters it, the logger and the event causes read it.
const storage = new AsyncLocalStorage<RequestState>();

/**
 * The request the code runs for, wherever it is called from (services, the refresher, log lines), without passing
 * it down: the request-id middleware runs the rest of the request inside it.
 */
@Injectable()
export class RequestContext {
  /** Runs `work` (and everything it starts, awaits or schedules) as part of the request with this id. */
  run<T>(requestId: string, work: () => T): T {
    return storage.run({ requestId }, work);
  }

  /**
   * Runs `work` outside any request: for loops that a request only wakes (the outbox relay, the refresh batches),
   * which would otherwise carry the first waking request's id in everything they do from then on. Outside its trace
   * too (OpenTelemetry keeps the active span in a store of its own): a shared batch's engine and database spans are
   * no single request's, and the relay's publishes continue each event's own trace instead.
   */
  outside<T>(work: () => T): T {
    return storage.exit(() => context.with(ROOT_CONTEXT, work));
  }

  /** The id of the request this code runs for; undefined outside any request. */
  get requestId(): string | undefined {
    return storage.getStore()?.requestId;
  }
}
