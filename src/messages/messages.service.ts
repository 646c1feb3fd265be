import { Injectable } from '@nestjs/common';
import { InstanceClient } from '../camunda/clients/instance.client.js';
import type { CorrelationResult } from '../camunda/camunda.models.js';
import { AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { SyncService } from '../sync/sync.service.js';
import type { CorrelateMessageDto, ThrowSignalDto } from './dto/correlate-message.dto.js';

@Injectable()
export class MessagesService {
  constructor(
    private readonly instanceClient: InstanceClient,
    private readonly sync: SyncService,
  ) {}

  /** The instances the message reached are refreshed before the answer. */
  async correlate(input: CorrelateMessageDto): Promise<{ correlations: CorrelationResult[] } | AcceptedWrite> {
    const correlations = await this.instanceClient.correlateMessage({ ...input, processVariables: input.variables });
    return afterEngineAccepted('correlate message', { correlations }, async () => {
      await this.sync.refreshInstances([...new Set(correlations.map((correlation) => correlation.processInstanceId))]);
      return { correlations };
    });
  }

  /**
   * A signal does not say whom it reached; an incremental sync runs before the answer instead. When another
   * replica holds the sync lock this one cannot run it, and the answer says the mirror is not current yet.
   */
  async signal(input: ThrowSignalDto): Promise<AcceptedWrite | undefined> {
    await this.instanceClient.throwSignal(input);
    return afterEngineAccepted('throw signal', { name: input.name }, async () => {
      const poll = await this.sync.runPoll();
      return poll.ran ? undefined : new AcceptedWrite({ name: input.name });
    });
  }
}
