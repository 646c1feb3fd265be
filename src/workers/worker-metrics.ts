import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Per-topic worker metrics, scraped with the gateway's others at /metrics. */
@Injectable()
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly fetched = new Counter({
    name: 'camunda_gateway_worker_tasks_fetched_total',
    help: 'External tasks fetched and locked, per topic',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  readonly outcomes = new Counter({
    name: 'camunda_gateway_worker_task_outcomes_total',
    help: 'What became of fetched tasks: completed, failed (retry scheduled), incident, bpmn_error, dropped (no longer ours), unlocked (shutdown), report_failed (the engine did not take the report; the task comes back)',
    labelNames: ['topic', 'outcome'],
    registers: [this.registry],
  });
  readonly lockExtensions = new Counter({
    name: 'camunda_gateway_worker_lock_extensions_total',
    help: 'Locks renewed while a handler ran',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  readonly gatewayFaultWaits = new Counter({
    name: 'camunda_gateway_worker_gateway_fault_waits_total',
    help: 'Waits for the gateway (database, broker) or engine to recover, with the task kept and its retries untouched',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'camunda_gateway_worker_tasks_in_flight',
    help: 'Tasks in hand, per topic',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  readonly handlerDuration = new Histogram({
    name: 'camunda_gateway_worker_handler_duration_seconds',
    help: 'Handler run time, per topic',
    labelNames: ['topic'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
}
