import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { InstanceClient } from '../camunda/clients/instance.client.js';
import type { ActivityInstanceNode, TypedVariables } from '../camunda/camunda.models.js';
import { InstanceState, ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { keysetPage, type Page, type SortKey } from '../pagination/keyset-page.js';
import { whereEquals } from '../pagination/where-equals.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { SyncService } from '../sync/sync.service.js';
import type { ProcessInstanceQueryDto } from './dto/process-instance-query.dto.js';
import type { StartProcessInstanceDto } from './dto/start-process-instance.dto.js';
import type { ProcessInstanceHistory } from './process-instance-history.js';
import { ProcessInstanceView } from './process-instance.view.js';

const DEFAULT_LIMIT = 100;
const CANCEL_WAIT_MS = 10_000;
const CANCEL_POLL_MS = 100;
const BY_START: SortKey<ProcessInstanceRecord> = {
  name: 'started',
  expression: 'instance.started_at',
  sqlType: 'timestamptz',
  valueOf: (instance) => instance.startedAt.toISOString(),
};
const OPEN_STATES = [InstanceState.Active, InstanceState.Suspended];

export type StartOutcome =
  | { accepted: false; instance: ProcessInstanceView & { variables?: TypedVariables } }
  | { accepted: true; instance: { id: string; definitionId: string; businessKey: string | null; mirrored: false } };

/** Commands go to the engine, then the instance is refreshed in the mirror; reads come from the mirror. */
@Injectable()
export class ProcessInstancesService {
  constructor(
    private readonly historyClient: HistoryClient,
    private readonly instanceClient: InstanceClient,
    private readonly sync: SyncService,
    @InjectRepository(ProcessInstanceRecord) private readonly instances: Repository<ProcessInstanceRecord>,
  ) {}

  /**
   * Starts, then answers from the mirror. If the mirror cannot be updated after the engine accepted the start,
   * the answer is `accepted` with what the engine said: the instance exists, and a retry would start another.
   */
  async start(input: StartProcessInstanceDto): Promise<StartOutcome> {
    if (input.processDefinitionKey !== undefined && input.processDefinitionId !== undefined) {
      const message = 'give processDefinitionKey or processDefinitionId, not both';
      throw new GatewayError(GatewayErrorCode.ValidationFailed, message, [{ field: 'processDefinitionId', messages: [message] }]);
    }
    const started = await this.instanceClient.startProcessInstance({
      key: input.processDefinitionKey,
      id: input.processDefinitionId,
      tenantId: input.tenantId,
      businessKey: input.businessKey,
      variables: input.variables,
      withVariablesInReturn: input.withVariablesInReturn,
    });
    if (!(await this.sync.refreshAfterAcceptedWrite(started.id))) {
      return { accepted: true, instance: { id: started.id, definitionId: started.definitionId, businessKey: started.businessKey, mirrored: false } };
    }
    const view = await this.get(started.id);
    return { accepted: false, instance: started.variables ? { ...view, variables: started.variables } : view };
  }

  async list(query: ProcessInstanceQueryDto): Promise<Page<ProcessInstanceView>> {
    const builder = this.instances.createQueryBuilder('instance');
    whereEquals(builder, 'instance', { definition_key: query.definitionKey, business_key: query.businessKey, state: query.state, tenant_id: query.tenantId });
    if (query.startedAfter) builder.andWhere('instance.started_at > :startedAfter', { startedAfter: query.startedAfter });
    if (query.startedBefore) builder.andWhere('instance.started_at < :startedBefore', { startedBefore: query.startedBefore });
    return keysetPage(builder, {
      key: BY_START,
      idColumn: 'instance.id',
      descending: query.sortOrder !== 'asc',
      cursor: query.cursor,
      limit: query.limit ?? DEFAULT_LIMIT,
      map: ProcessInstanceView.of,
    });
  }

  /** From the mirror; an instance the mirror has not seen yet (started in Cockpit a moment ago) is fetched once. */
  async get(id: string): Promise<ProcessInstanceView> {
    return ProcessInstanceView.of(await this.find(id));
  }

  /**
   * Cancels with a reason the engine keeps in its history. The engine cancels asynchronously; the answer waits a
   * bounded time for it and says whether it saw the end (`ended`).
   */
  async cancel(id: string, reason: string | undefined): Promise<{ view: ProcessInstanceView; ended: boolean }> {
    const instance = await this.find(id);
    if (!OPEN_STATES.includes(instance.state)) {
      throw new GatewayError(GatewayErrorCode.Conflict, `Process instance '${id}' has already ended (${instance.state})`);
    }
    await this.instanceClient.cancelProcessInstances([id], reason);
    const deadline = Date.now() + CANCEL_WAIT_MS;
    let ended = false;
    while (!ended && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS));
      const state = (await this.historyClient.findHistoricProcessInstance(id))?.state;
      ended = state === undefined || !OPEN_STATES.includes(state);
    }
    await this.sync.refreshInstance(id);
    return { view: await this.get(id), ended };
  }

  async setSuspended(id: string, suspended: boolean): Promise<ProcessInstanceView> {
    await this.find(id);
    await this.instanceClient.setProcessInstanceSuspended(id, suspended);
    await this.sync.refreshInstance(id);
    return this.get(id);
  }

  async activityTree(id: string): Promise<ActivityInstanceNode> {
    return this.instanceClient.getActivityInstanceTree(id);
  }

  async history(id: string): Promise<ProcessInstanceHistory> {
    await this.find(id);
    const [activities, tasks, variableChanges] = await Promise.all([
      this.historyClient.listHistoricActivities(id),
      this.historyClient.listHistoricTasks({ processInstanceId: id }),
      this.historyClient.listVariableChanges(id),
    ]);
    return {
      activities,
      tasks: tasks.map(({ id: taskId, name, assignee, createdAt, endedAt, deleteReason }) => ({ id: taskId, name, assignee, createdAt, endedAt, deleteReason })),
      variableChanges,
    };
  }

  private async find(id: string): Promise<ProcessInstanceRecord> {
    let record = await this.instances.findOneBy({ id });
    if (!record) {
      await this.sync.refreshInstance(id);
      record = await this.instances.findOneBy({ id });
    }
    if (!record) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `Process instance '${id}' does not exist`);
    return record;
  }
}
