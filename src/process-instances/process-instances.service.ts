import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { InstanceClient } from '../camunda/clients/instance.client.js';
import type { ActivityInstanceNode, TypedVariables } from '../camunda/camunda.models.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { isOpenInstance } from '../mirror/open-states.js';
import { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { keysetPage, type Page } from '../pagination/keyset-page.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';
import type { ProcessInstanceQueryDto } from './dto/process-instance-query.dto.js';
import type { StartProcessInstanceDto } from './dto/start-process-instance.dto.js';
import type { ProcessInstanceHistory } from './process-instance-history.js';
import { ProcessInstanceView } from './process-instance.view.js';
import { instanceListQuery, INSTANCES_BY_START } from './process-instance-list-query.js';
import { InstanceAccess } from './instance-access.js';
import type { AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';
import { DefinitionAccess } from '../process-definitions/definition-access.js';
import { refuseStartedBy, STARTED_BY_VARIABLE } from '../sync/started-by.js';

const DEFAULT_LIMIT = 100;
const CANCEL_WAIT_MS = 10_000;
const CANCEL_POLL_MS = 100;

/** Commands go to the engine, then the instance is refreshed in the mirror; reads come from the mirror. */
@Injectable()
export class ProcessInstancesService {
  constructor(
    private readonly historyClient: HistoryClient,
    private readonly instanceClient: InstanceClient,
    private readonly refresher: InstanceRefresher,
    private readonly access: InstanceAccess,
    private readonly definitions: DefinitionAccess,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  /**
   * Starts, then answers from the mirror. If the mirror cannot be updated after the engine accepted the start,
   * the answer is an AcceptedWrite with what the engine said: the instance exists, and a retry would start another.
   */
  async start(scope: AccessScope, input: StartProcessInstanceDto): Promise<(ProcessInstanceView & { variables?: TypedVariables }) | AcceptedWrite> {
    if (input.processDefinitionKey !== undefined && input.processDefinitionId !== undefined) {
      const message = 'give processDefinitionKey or processDefinitionId, not both';
      throw new GatewayError(GatewayErrorCode.ValidationFailed, message, [{ field: 'processDefinitionId', messages: [message] }]);
    }
    refuseStartedBy(Object.keys(input.variables ?? {}));
    const started = await this.instanceClient.startProcessInstance({
      key: input.processDefinitionKey,
      id: input.processDefinitionId && (await this.startableDefinition(scope, input.processDefinitionId)),
      tenantId: input.processDefinitionKey === undefined ? undefined : this.startTenant(scope, input.tenantId),
      businessKey: input.businessKey,
      variables: { ...input.variables, [STARTED_BY_VARIABLE]: scope.camundaUserId },
      withVariablesInReturn: input.withVariablesInReturn,
    });
    this.refresher.expectChangeBy(started.id, scope.actor);
    const known = { id: started.id, definitionId: started.definitionId, businessKey: started.businessKey };
    return afterEngineAccepted(
      'start process instance',
      known,
      async () => {
        await this.refresher.refreshInstance(started.id, { actor: scope.actor });
        const view = await this.get(scope, started.id);
        return started.variables ? { ...view, variables: started.variables } : view;
      },
      `/process-instances/${started.id}`,
    );
  }

  async list(scope: AccessScope, query: ProcessInstanceQueryDto): Promise<Page<ProcessInstanceView>> {
    const builder = instanceListQuery(this.instances.createQueryBuilder('instance'), query);
    this.access.restrict(builder, scope);
    return keysetPage(builder, {
      key: INSTANCES_BY_START,
      idColumn: 'instance.id',
      descending: query.sortOrder !== 'asc',
      cursor: query.cursor,
      limit: query.limit ?? DEFAULT_LIMIT,
      map: ProcessInstanceView.of,
    });
  }

  /** From the mirror; an instance the mirror has not seen yet (started in Cockpit a moment ago) is fetched once. */
  async get(scope: AccessScope, id: string): Promise<ProcessInstanceView> {
    return ProcessInstanceView.of(await this.access.readable(scope, id));
  }

  /**
   * Cancels with a reason the engine keeps in its history. The engine cancels asynchronously; the answer waits a
   * bounded time for it and says whether it saw the end (`ended`).
   */
  async cancel(scope: AccessScope, id: string, reason: string | undefined): Promise<{ view: ProcessInstanceView; ended: boolean } | AcceptedWrite> {
    const instance = await this.access.manageable(scope, id);
    if (!isOpenInstance(instance.state)) {
      throw new GatewayError(GatewayErrorCode.Conflict, `Process instance '${id}' has already ended (${instance.state})`);
    }
    this.refresher.expectChangeBy(id, scope.actor);
    await this.instanceClient.cancelProcessInstances([id], reason);
    return afterEngineAccepted('cancel process instance', { id }, async () => {
      const ended = await this.waitUntilEnded(id);
      await this.refresher.refreshInstance(id, { actor: scope.actor });
      return { view: await this.get(scope, id), ended };
    });
  }

  async setSuspended(scope: AccessScope, id: string, suspended: boolean): Promise<ProcessInstanceView | AcceptedWrite> {
    await this.access.manageable(scope, id);
    this.refresher.expectChangeBy(id, scope.actor);
    await this.instanceClient.setProcessInstanceSuspended(id, suspended);
    return afterEngineAccepted(suspended ? 'suspend process instance' : 'activate process instance', { id, suspended }, async () => {
      await this.refresher.refreshInstance(id, { actor: scope.actor });
      return this.get(scope, id);
    });
  }

  async activityTree(scope: AccessScope, id: string): Promise<ActivityInstanceNode> {
    await this.access.readable(scope, id);
    return this.instanceClient.getActivityInstanceTree(id);
  }

  async history(scope: AccessScope, id: string): Promise<ProcessInstanceHistory> {
    await this.access.readable(scope, id);
    const [activities, tasks, variableChanges] = await Promise.all([
      this.historyClient.listHistoricActivities(id),
      this.historyClient.listHistoricTasks({ processInstanceId: id }),
      this.historyClient.listVariableChanges(id),
    ]);
    return {
      activities,
      tasks: tasks.map(({ id: taskId, name, assignee, createdAt, endedAt, deleteReason }) => ({
        id: taskId,
        name,
        assignee,
        createdAt,
        endedAt,
        deleteReason,
      })),
      variableChanges,
    };
  }

  /** The engine cancels asynchronously: waits a bounded time for its history to show the end. */
  private async waitUntilEnded(id: string): Promise<boolean> {
    const deadline = Date.now() + CANCEL_WAIT_MS;
    let ended = false;
    while (!ended && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS));
      const state = (await this.historyClient.findHistoricProcessInstance(id))?.state;
      ended = state === undefined || !isOpenInstance(state);
    }
    return ended;
  }

  /**
   * A start by key goes into the caller's workspace tenant: the one named (it must be theirs), or the only one
   * where they may start; an engine-wide admin may start without a tenant.
   */
  private startTenant(scope: AccessScope, requested: string | undefined): string | undefined {
    if (requested === undefined) return scope.targetTenant(Role.Requester, Role.Operator);
    if (!scope.reaches(requested, Role.Requester, Role.Operator))
      throw new GatewayError(GatewayErrorCode.WorkspaceNotAllowed, `You may not start instances in tenant "${requested}"`);
    return requested;
  }

  /** A start by id must name a definition the caller can see, of a tenant where they may start. */
  private async startableDefinition(scope: AccessScope, definitionId: string): Promise<string> {
    const tenantId = await this.definitions.tenantOf(scope, definitionId);
    if (tenantId === null ? !scope.engineWide : !scope.reaches(tenantId, Role.Requester, Role.Operator)) {
      throw new GatewayError(GatewayErrorCode.AccessDenied, 'Starting this definition needs the requester or operator role in its workspace');
    }
    return definitionId;
  }
}
