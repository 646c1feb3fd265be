import { Injectable } from '@nestjs/common';
import { InstanceClient } from '../camunda/clients/instance.client.js';
import type { CorrelationResult } from '../camunda/camunda.models.js';
import { SyncService } from '../sync/sync.service.js';
import type { CorrelateMessageDto, ThrowSignalDto } from './dto/correlate-message.dto.js';

@Injectable()
export class MessagesService {
  constructor(
    private readonly instanceClient: InstanceClient,
    private readonly sync: SyncService,
  ) {}

  /** The instances the message reached are refreshed before the answer. */
  async correlate(input: CorrelateMessageDto): Promise<{ correlations: CorrelationResult[] }> {
    const correlations = await this.instanceClient.correlateMessage({ ...input, processVariables: input.variables });
    await this.sync.refreshInstances([...new Set(correlations.map((correlation) => correlation.processInstanceId))]);
    return { correlations };
  }

  /**
   * A signal does not say whom it reached; an incremental sync runs before the answer instead, waiting for one
   * another replica is running rather than skipping it.
   */
  async signal(input: ThrowSignalDto): Promise<void> {
    await this.instanceClient.throwSignal(input);
    await this.sync.runPoll({ waitForLock: true });
  }
}
