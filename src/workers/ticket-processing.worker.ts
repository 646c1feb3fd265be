import { Injectable } from '@nestjs/common';
import { EventType } from '../events/event-types.js';
import { stableUuid } from './stable-id.js';
import { ExternalTaskWorker, NonRetryableError, type ExternalTaskHandler, type ExternalTaskJob, type WorkerResult } from './worker-api.js';

export const TICKET_PROCESSING_TOPIC = 'ticket-processing';

/**
 * Processes approved tickets and announces `ticket.processed`. The model routes rejected tickets elsewhere, so one
 * arriving here unapproved is a modelling error: an incident at once. `ticket.processed` is written before the
 * engine hears of the completion (a sync that sees the process end can never publish `process.completed` ahead of
 * it), under an id derived from the external task's, so a redelivered task does not announce it twice.
 */
@ExternalTaskWorker({ topic: TICKET_PROCESSING_TOPIC, variables: ['approved'] })
@Injectable()
export class TicketProcessingWorker implements ExternalTaskHandler {
  handle(job: ExternalTaskJob): Promise<WorkerResult> {
    if (job.variables.approved !== true) {
      throw new NonRetryableError(`Ticket ${job.businessKey ?? job.processInstanceId} reached processing without approval`);
    }
    const output = { ticketStatus: 'PROCESSED', processedAt: new Date().toISOString() };
    return Promise.resolve({
      variables: output,
      events: [{ id: stableUuid(`${EventType.TicketProcessed}:${job.id}`), type: EventType.TicketProcessed, data: { externalTaskId: job.id, ...output } }],
    });
  }
}
