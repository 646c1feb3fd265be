import { Injectable } from '@nestjs/common';
import { BrokerUnavailableError } from '../events/amqp-publisher.js';
import { FailureTriage } from '../sync/failure-triage.js';
import { BpmnError, NonRetryableError } from './worker-api.js';

/** Tells a handler's own failure from an outage of what the gateway stands on, which must not cost the task a retry. */
@Injectable()
export class GatewayFaults {
  constructor(private readonly triage: FailureTriage) {}

  async isGatewayFault(error: unknown): Promise<boolean> {
    if (error instanceof BpmnError || error instanceof NonRetryableError) return false;
    if (error instanceof BrokerUnavailableError) return true;
    return this.triage.isOutage(error);
  }
}
