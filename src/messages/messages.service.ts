import { Injectable } from '@nestjs/common';
import { CamundaClient } from '../camunda/camunda-client.js';
import type { CorrelationResult } from '../camunda/camunda.models.js';
import { SyncService } from '../sync/sync.service.js';
import type { CorrelateMessageDto, ThrowSignalDto } from './dto/correlate-message.dto.js';

@Injectable()
export class MessagesService {
  constructor(
    private readonly camunda: CamundaClient,
    private readonly sync: SyncService,
  ) {}

  /** The instances the message reached are refreshed before the answer. */
  async correlate(input: CorrelateMessageDto): Promise<{ correlations: CorrelationResult[] }> {
    const correlations = await this.camunda.correlateMessage({ ...input, processVariables: input.variables });
    await this.sync.refreshInstances([...new Set(correlations.map((correlation) => correlation.processInstanceId))]);
    return { correlations };
  }

  /** A signal does not say whom it reached; an incremental sync runs before the answer instead. */
  async signal(input: ThrowSignalDto): Promise<void> {
    await this.camunda.throwSignal(input);
    await this.sync.runPoll();
  }
}
