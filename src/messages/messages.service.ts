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
   * A signal does not say whom it reached; an incremental sync runs before the answer instead, waiting for one
   * another replica is running rather than skipping it. Once the engine took the signal, a sync that fails is a 202.
   */
  async signal(input: ThrowSignalDto): Promise<AcceptedWrite | undefined> {
    await this.instanceClient.throwSignal(input);
    return afterEngineAccepted('throw signal', { name: input.name }, async () => {
      // Not having run after the wait means the mirror may not show the signal's effects yet: say so.
      const poll = await this.sync.runPoll({ waitForLock: true });
      return poll.ran ? undefined : new AcceptedWrite({ name: input.name });
    });
  }
}
