import { Injectable } from '@nestjs/common';
import type { ActivityInstanceNode, CorrelationResult, MessageCorrelation, Signal, StartProcessInstance, StartedProcessInstance } from '../camunda.models.js';
import type { ActivityInstanceDto, BatchDto, ProcessInstanceDto, MessageCorrelationResultDto } from '../engine-dto.js';
import { decodeTypedVariables, encodeVariables } from '../variable-codec.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath, type EnginePath } from '../engine-path.js';

/** Running process instances: start, cancel, suspend, activity tree, messages and signals. */
@Injectable()
export class InstanceClient {
  constructor(private readonly engine: EngineHttp) {}

  async startProcessInstance(input: StartProcessInstance): Promise<StartedProcessInstance> {
    const data = { businessKey: input.businessKey, variables: encodeVariables(input.variables), withVariablesInReturn: input.withVariablesInReturn };
    const dto = await this.engine.request<ProcessInstanceDto>(`start process '${input.key ?? input.id}'`, { method: 'POST', url: startPath(input), data });
    return {
      id: dto.id,
      definitionId: dto.definitionId,
      businessKey: dto.businessKey,
      ...(input.withVariablesInReturn ? { variables: decodeTypedVariables(dto.variables) } : {}),
    };
  }

  /** Cancels through the batch API, the only one that records a delete reason; the batch runs asynchronously. */
  async cancelProcessInstances(ids: string[], reason: string | undefined): Promise<string> {
    const batch = await this.engine.request<BatchDto>('cancel process instances', {
      method: 'POST',
      url: enginePath`/process-instance/delete`,
      data: { processInstanceIds: ids, deleteReason: reason },
    });
    return batch.id;
  }

  async setProcessInstanceSuspended(id: string, suspended: boolean): Promise<void> {
    await this.engine.request(suspended ? 'suspend process instance' : 'activate process instance', {
      method: 'PUT',
      url: enginePath`/process-instance/${id}/suspended`,
      data: { suspended },
    });
  }

  async getActivityInstanceTree(id: string): Promise<ActivityInstanceNode> {
    const dto = await this.engine.request<ActivityInstanceDto>('read activity instances', {
      method: 'GET',
      url: enginePath`/process-instance/${id}/activity-instances`,
    });
    return toActivityNode(dto);
  }

  async correlateMessage(message: MessageCorrelation): Promise<CorrelationResult[]> {
    const dtos = await this.engine.request<MessageCorrelationResultDto[]>(`correlate message '${message.messageName}'`, {
      method: 'POST',
      url: enginePath`/message`,
      data: {
        messageName: message.messageName,
        businessKey: message.businessKey,
        processInstanceId: message.processInstanceId,
        tenantId: message.tenantId,
        correlationKeys: encodeVariables(message.correlationKeys),
        processVariables: encodeVariables(message.processVariables),
        all: message.all ?? false,
        resultEnabled: true,
      },
    });
    return dtos.flatMap((dto) => {
      const processInstanceId = dto.processInstance?.id ?? dto.execution?.processInstanceId;
      return processInstanceId ? [{ resultType: dto.resultType, processInstanceId }] : [];
    });
  }

  async throwSignal(signal: Signal): Promise<void> {
    await this.engine.request(`throw signal '${signal.name}'`, {
      method: 'POST',
      url: enginePath`/signal`,
      data: { name: signal.name, tenantId: signal.tenantId, variables: encodeVariables(signal.variables) },
    });
  }
}

function startPath(input: StartProcessInstance): EnginePath {
  if (input.id) return enginePath`/process-definition/${input.id}/start`;
  const key = input.key ?? '';
  return input.tenantId ? enginePath`/process-definition/key/${key}/tenant-id/${input.tenantId}/start` : enginePath`/process-definition/key/${key}/start`;
}

function toActivityNode(dto: ActivityInstanceDto): ActivityInstanceNode {
  return {
    id: dto.id,
    activityId: dto.activityId,
    activityName: dto.activityName,
    activityType: dto.activityType,
    incidentIds: dto.incidentIds ?? [],
    children: dto.childActivityInstances.map(toActivityNode),
    transitions: dto.childTransitionInstances.map(({ id, activityId, activityName, activityType }) => ({ id, activityId, activityName, activityType })),
  };
}
