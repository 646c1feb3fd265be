import { Injectable, type OnApplicationShutdown } from '@nestjs/common';

/** The part of the SDK's tracer provider the shutdown needs; main.ts starts it before Nest exists. */
export interface RunningTracing {
  shutdown(): Promise<void>;
}

/**
 * Exports the spans still batched when the gateway stops (the last requests, the relay's last publishes), after
 * every other provider's shutdown hook ran; nothing to do when tracing is off.
 */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  private tracing: RunningTracing | null = null;

  track(tracing: RunningTracing): void {
    this.tracing = tracing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.tracing?.shutdown();
  }
}
