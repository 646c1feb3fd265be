import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { PlainVariables } from '../camunda/camunda.models.js';
import { ExternalTaskRunner, type ExternalTaskJob, type ExternalTaskSubscription } from '../camunda/external-task-runner.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { EventType } from '../events/event-types.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';

export const TICKET_PROCESSING_TOPIC = 'ticket-processing';

/** Processes approved tickets (external task topic `ticket-processing`) and announces `ticket.processed`. */
@Injectable()
export class TicketProcessingWorker implements ExternalTaskSubscription, OnApplicationBootstrap {
  readonly topic = TICKET_PROCESSING_TOPIC;
  readonly maxAttempts = 3;
  readonly retryDelayMs = 10_000;

  constructor(
    private readonly runner: ExternalTaskRunner,
    private readonly refresher: InstanceRefresher,
    private readonly config: GatewayConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.WORKERS_ENABLED) this.runner.start([this]);
  }

  /**
   * Does the work and records `ticket.processed` before the engine hears of the completion: a sync that sees the
   * process end can then never publish `process.completed` ahead of it. A redelivered task (lock lost, at-least-once)
   * records it again; consumers de-duplicate on `data.externalTaskId`.
   */
  async handle(job: ExternalTaskJob): Promise<PlainVariables> {
    if (job.variables.approved !== true) {
      throw new Error(`Ticket ${job.businessKey ?? job.processInstanceId} reached processing without approval`);
    }
    const output = { ticketStatus: 'PROCESSED', processedAt: new Date().toISOString() };
    await this.refresher.refreshInstance(job.processInstanceId, { domainEvents: [{ type: EventType.TicketProcessed, data: { externalTaskId: job.id, ...output } }] });
    return output;
  }

  /** Real-time refresh, so the mirror shows the instance's next state without waiting for the poll. */
  async afterComplete(job: ExternalTaskJob): Promise<void> {
    await this.refresher.refreshInstance(job.processInstanceId);
  }
}
