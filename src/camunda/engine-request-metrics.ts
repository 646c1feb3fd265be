import { Injectable } from '@nestjs/common';
import { Histogram, Registry } from 'prom-client';

/** Every engine-rest request the gateway makes, by operation and outcome; scraped at /metrics with the others. */
@Injectable()
export class EngineRequestMetrics {
  readonly registry = new Registry();
  readonly duration = new Histogram({
    name: 'camunda_gateway_engine_request_duration_seconds',
    help: 'engine-rest requests by operation (what the gateway asked, e.g. "start process instance") and outcome (ok, or the error code)',
    labelNames: ['operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
}
