import { Injectable } from '@nestjs/common';
import { BrokerUnavailableError } from '../events/amqp-publisher.js';
import { FailureTriage } from '../sync/failure-triage.js';

/**
 * Tells a failure of the runtime's own steps (writing a task's events) caused by an outage of what the gateway stands
 * on, which must not cost the task a retry, from one of the step itself.
 */
@Injectable()
export class GatewayFaults {
  constructor(private readonly triage: FailureTriage) {}

  async isGatewayFault(error: unknown): Promise<boolean> {
    if (error instanceof BrokerUnavailableError) return true;
    return this.triage.isOutage(error);
  }
}
