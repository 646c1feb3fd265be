import { Injectable } from '@nestjs/common';
import { InstanceClient } from '../camunda/clients/instance.client.js';
import type { CorrelationResult } from '../camunda/camunda.models.js';
import { AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';
import { SyncService } from '../sync/sync.service.js';
import { refuseStartedBy } from '../sync/started-by.js';
import type { AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import type { CorrelateMessageDto, ThrowSignalDto } from './dto/correlate-message.dto.js';

@Injectable()
export class MessagesService {
  constructor(
    private readonly instanceClient: InstanceClient,
    private readonly refresher: InstanceRefresher,
    private readonly sync: SyncService,
  ) {}

  /** The instances the message reached are refreshed before the answer. */
  async correlate(scope: AccessScope, input: CorrelateMessageDto): Promise<{ correlations: CorrelationResult[] } | AcceptedWrite> {
    refuseStartedBy(Object.keys(input.variables ?? {}));
    const tenantId = operatorTenant(scope, input.tenantId);
    const correlations = await this.instanceClient.correlateMessage({ ...input, tenantId, processVariables: input.variables });
    return afterEngineAccepted('correlate message', { correlations }, async () => {
      await this.refresher.refreshInstances([...new Set(correlations.map((correlation) => correlation.processInstanceId))], { actor: scope.actor });
      return { correlations };
    });
  }

  /**
   * A signal does not say whom it reached; an incremental sync runs before the answer instead, waiting for one
   * another replica is running rather than skipping it. Once the engine took the signal, a sync that fails is a 202.
   */
  async signal(scope: AccessScope, input: ThrowSignalDto): Promise<AcceptedWrite | undefined> {
    refuseStartedBy(Object.keys(input.variables ?? {}));
    await this.instanceClient.throwSignal({ ...input, tenantId: operatorTenant(scope, input.tenantId) });
    return afterEngineAccepted('throw signal', { name: input.name }, async () => {
      // Not having run after the wait means the mirror may not show the signal's effects yet: say so.
      const poll = await this.sync.runPoll({ waitForLock: true, deep: true });
      return poll.ran ? undefined : new AcceptedWrite({ name: input.name });
    });
  }
}

/** Messages and signals reach only the tenant named (one of the caller's) or the caller's one workspace. */
function operatorTenant(scope: AccessScope, requested: string | undefined): string | undefined {
  if (requested === undefined) return scope.targetTenant(Role.Operator);
  if (!scope.reaches(requested, Role.Operator)) throw new GatewayError(GatewayErrorCode.WorkspaceNotAllowed, `You may not send to tenant "${requested}"`);
  return requested;
}
