import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { EngineGate } from '../engine-support/engine-gate.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { SyncService } from '../sync/sync.service.js';

/** Prometheus metrics; the gateway-specific ones are read from the sync and outbox state at scrape time. */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly auditWriteFailures = new Counter({
    name: 'camunda_gateway_audit_write_failures_total',
    help: 'Audit entries that could not be recorded (the requests themselves were answered)',
    registers: [this.registry],
  });

  constructor(sync: SyncService, relay: OutboxRelay, engineGate: EngineGate) {
    collectDefaultMetrics({ register: this.registry, prefix: 'camunda_gateway_' });
    new Gauge({
      name: 'camunda_gateway_engine_info',
      help: 'The engine the gateway runs against (1), by name (camunda, operaton) and version; absent until it has answered',
      labelNames: ['name', 'version'],
      registers: [this.registry],
      collect() {
        this.reset();
        const identity = engineGate.identity;
        if (identity) this.set({ name: identity.name ?? identity.productName, version: identity.version }, 1);
      },
    });
    new Gauge({
      name: 'camunda_gateway_sync_lag_seconds',
      help: 'Time since the last successful sync, per cursor',
      labelNames: ['cursor'],
      registers: [this.registry],
      async collect() {
        for (const cursor of await sync.status()) {
          if (cursor.lagMs !== null) this.set({ cursor: cursor.name }, cursor.lagMs / 1000);
        }
      },
    });
    new Gauge({
      name: 'camunda_gateway_sync_parked_instances',
      help: 'Instances whose refresh failed and which the sync retries with backoff',
      registers: [this.registry],
      async collect() {
        this.set((await sync.parkedStatus()).count);
      },
    });
    new Gauge({
      name: 'camunda_gateway_outbox_pending_events',
      help: 'Events written but not yet confirmed by RabbitMQ',
      registers: [this.registry],
      async collect() {
        this.set((await relay.status()).pending);
      },
    });
    new Gauge({
      name: 'camunda_gateway_outbox_oldest_pending_seconds',
      help: 'Time since the oldest unpublished event was queued in the outbox (0 when none)',
      registers: [this.registry],
      async collect() {
        const oldest = (await relay.status()).oldestPendingAt;
        this.set(oldest ? Math.max(0, Date.now() - new Date(oldest).getTime()) / 1000 : 0);
      },
    });
    new Gauge({
      name: 'camunda_gateway_outbox_dead_letters',
      help: 'Events RabbitMQ refused OUTBOX_MAX_ATTEMPTS times, waiting for a replay (POST /outbox/dead-letters/replay)',
      registers: [this.registry],
      async collect() {
        this.set((await relay.status()).deadLetters);
      },
    });
  }
}
