import { Injectable } from '@nestjs/common';
import { CamundaError, CamundaErrorCode, unlessUnknown } from '../camunda.errors.js';
import type {
  CandidateLinkChange,
  EngineFinishedBatch,
  EngineHistoricIncident,
  EngineVariable,
  EngineProcessInstance,
  EngineTask,
  EngineUserOperation,
  HistoricActivity,
  HistoricInstanceFilter,
  HistoricInstanceQuery,
  HistoricTaskQuery,
  VariableChange,
} from '../camunda.models.js';
import { EngineInstanceState } from '../camunda.models.js';
import type {
  HistoricActivityInstanceDto,
  HistoricBatchDto,
  HistoricProcessInstanceDto,
  HistoricTaskInstanceDto,
  UserOperationLogEntryDto,
  HistoricVariableUpdateDto,
  HistoricDetailDto,
  HistoricIdentityLinkLogDto,
  HistoricIncidentDto,
  HistoricVariableInstanceDto,
} from '../engine-dto.js';
import { fromEngineDate, toEngineDate } from '../engine-date.js';
import { decodeTyped } from '../variable-codec.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath } from '../engine-path.js';

/** The engine history: what the mirror and the audit view are built from. */
@Injectable()
export class HistoryClient {
  constructor(private readonly engine: EngineHttp) {}

  /** The instance as history knows it, or null when the engine has no record of it at all. */
  async findHistoricProcessInstance(id: string): Promise<EngineProcessInstance | null> {
    const dto = await unlessUnknown(
      this.engine.request<HistoricProcessInstanceDto>('read historic process instance', { method: 'GET', url: enginePath`/history/process-instance/${id}` }),
    );
    return dto ? toProcessInstance(dto) : null;
  }

  async listHistoricProcessInstances(query: HistoricInstanceQuery): Promise<EngineProcessInstance[]> {
    const params = {
      startedAfter: query.startedAfter && toEngineDate(query.startedAfter),
      finishedAfter: query.finishedAfter && toEngineDate(query.finishedAfter),
      unfinished: query.unfinished,
      processDefinitionId: query.processDefinitionId,
      processDefinitionKey: query.processDefinitionKey,
      sortBy: 'startTime',
      sortOrder: 'asc',
      firstResult: query.firstResult,
      maxResults: query.maxResults,
    };
    const dtos = await this.engine.request<HistoricProcessInstanceDto[]>('list historic process instances', {
      method: 'GET',
      url: enginePath`/history/process-instance`,
      params,
    });
    return dtos.map(toProcessInstance);
  }

  /**
   * Ordered by start time, then id: a total order, so a caller can page by keyset (the last start and id it saw)
   * over a set that moves while it is read. A POST, so hundreds of ids fit where a URL would not.
   */
  async listHistoricProcessInstancesByStart(
    filter: HistoricInstanceFilter,
    page: { firstResult: number; maxResults: number },
  ): Promise<EngineProcessInstance[]> {
    const dtos = await this.engine.request<HistoricProcessInstanceDto[]>('list historic process instances', {
      method: 'POST',
      url: enginePath`/history/process-instance`,
      params: page,
      data: {
        ...historicInstanceFilter(filter),
        sorting: [
          { sortBy: 'startTime', sortOrder: 'asc' },
          { sortBy: 'instanceId', sortOrder: 'asc' },
        ],
      },
    });
    return dtos.map(toProcessInstance);
  }

  async countHistoricProcessInstances(filter: HistoricInstanceFilter): Promise<number> {
    const dto = await this.engine.request<{ count: number }>('count historic process instances', {
      method: 'POST',
      url: enginePath`/history/process-instance/count`,
      data: historicInstanceFilter(filter),
    });
    return dto.count;
  }

  async listHistoricTasks(query: HistoricTaskQuery): Promise<EngineTask[]> {
    const params = {
      taskId: query.taskId,
      processInstanceId: query.processInstanceId,
      startedAfter: query.startedAfter && toEngineDate(query.startedAfter),
      finishedAfter: query.finishedAfter && toEngineDate(query.finishedAfter),
      sortBy: 'startTime',
      sortOrder: 'asc',
      firstResult: query.firstResult,
      maxResults: query.maxResults,
    };
    const dtos = await this.engine.request<HistoricTaskInstanceDto[]>('list historic tasks', { method: 'GET', url: enginePath`/history/task`, params });
    return dtos.map(toTask);
  }

  /**
   * The tasks (open and ended) of the instances with these business keys: the one history task filter that takes
   * many instances. Instances of other ids may share a key; the caller keeps the ones it asked about.
   */
  async listHistoricTasksOfBusinessKeys(businessKeys: string[], page: { firstResult: number; maxResults: number }): Promise<EngineTask[]> {
    const dtos = await this.engine.request<HistoricTaskInstanceDto[]>('list historic tasks', {
      method: 'POST',
      url: enginePath`/history/task`,
      params: page,
      data: {
        processInstanceBusinessKeyIn: businessKeys,
        sorting: [
          { sortBy: 'startTime', sortOrder: 'asc' },
          { sortBy: 'taskId', sortOrder: 'asc' },
        ],
      },
    });
    return dtos.map(toTask);
  }

  /**
   * Candidate-link changes of all tasks between two times, oldest first. The engine sorts by time alone, so pages
   * may repeat or skip entries of one millisecond: callers dedupe by id and check the count.
   */
  async listCandidateLinkChanges(query: { after: Date; before: Date; firstResult: number; maxResults: number }): Promise<CandidateLinkChange[]> {
    const dtos = await this.engine.request<HistoricIdentityLinkLogDto[]>('list identity link log', {
      method: 'GET',
      url: enginePath`/history/identity-link-log`,
      params: {
        type: 'candidate',
        dateAfter: toEngineDate(query.after),
        dateBefore: toEngineDate(query.before),
        sortBy: 'time',
        sortOrder: 'asc',
        firstResult: query.firstResult,
        maxResults: query.maxResults,
      },
    });
    return dtos.map((dto) => ({
      id: dto.id,
      taskId: dto.taskId,
      userId: dto.userId,
      groupId: dto.groupId,
      operation: dto.operationType,
      at: fromEngineDate(dto.time),
    }));
  }

  async countCandidateLinkChanges(range: { after: Date; before: Date }): Promise<number> {
    const dto = await this.engine.request<{ count: number }>('count identity link log', {
      method: 'GET',
      url: enginePath`/history/identity-link-log/count`,
      params: { type: 'candidate', dateAfter: toEngineDate(range.after), dateBefore: toEngineDate(range.before) },
    });
    return dto.count;
  }

  async listHistoricActivities(processInstanceId: string): Promise<HistoricActivity[]> {
    // Activities often start in the same millisecond; the engine's sequence counter ("occurrence") breaks the tie.
    const dtos = await this.engine.request<HistoricActivityInstanceDto[]>('list historic activities', {
      method: 'POST',
      url: enginePath`/history/activity-instance`,
      data: {
        processInstanceId,
        sorting: [
          { sortBy: 'startTime', sortOrder: 'asc' },
          { sortBy: 'occurrence', sortOrder: 'asc' },
        ],
      },
    });
    return dtos.map((dto) => ({
      id: dto.id,
      activityId: dto.activityId,
      activityName: dto.activityName,
      activityType: dto.activityType,
      taskId: dto.taskId,
      assignee: dto.assignee,
      startedAt: fromEngineDate(dto.startTime),
      endedAt: fromEngineDate(dto.endTime),
      canceled: dto.canceled,
    }));
  }

  async listVariableChanges(processInstanceId: string): Promise<VariableChange[]> {
    const dtos = await this.engine.request<HistoricVariableUpdateDto[]>('list variable changes', {
      method: 'GET',
      url: enginePath`/history/detail`,
      params: { processInstanceId, variableUpdates: true, deserializeValues: false, sortBy: 'time', sortOrder: 'asc' },
    });
    return dtos.map((dto) => ({
      id: dto.id,
      name: dto.variableName,
      type: dto.variableType,
      value: decodeTyped({ value: dto.value, type: dto.variableType }).value,
      valueInfo: dto.valueInfo,
      at: fromEngineDate(dto.time),
      revision: dto.revision,
      taskId: dto.taskId,
      activityInstanceId: dto.activityInstanceId,
    }));
  }

  /** The variables of many instances, by instance then name; values as the gateway shows them. */
  async listHistoricVariablesOf(processInstanceIds: string[], page: { firstResult: number; maxResults: number }): Promise<EngineVariable[]> {
    const dtos = await this.engine.request<HistoricVariableInstanceDto[]>('list historic variables', {
      method: 'POST',
      url: enginePath`/history/variable-instance`,
      params: { ...page, deserializeValues: false },
      data: {
        processInstanceIdIn: processInstanceIds,
        sorting: [
          { sortBy: 'instanceId', sortOrder: 'asc' },
          { sortBy: 'variableName', sortOrder: 'asc' },
        ],
      },
    });
    return dtos.map(toVariable);
  }

  async countHistoricVariablesOf(processInstanceIds: string[]): Promise<number> {
    const dto = await this.engine.request<{ count: number }>('count historic variables', {
      method: 'POST',
      url: enginePath`/history/variable-instance/count`,
      data: { processInstanceIdIn: processInstanceIds },
    });
    return dto.count;
  }

  async listHistoricIncidents(query: {
    processInstanceId?: string;
    createTimeAfter?: Date;
    endTimeAfter?: Date;
    firstResult: number;
    maxResults: number;
  }): Promise<EngineHistoricIncident[]> {
    const params = {
      processInstanceId: query.processInstanceId,
      createTimeAfter: query.createTimeAfter && toEngineDate(query.createTimeAfter),
      endTimeAfter: query.endTimeAfter && toEngineDate(query.endTimeAfter),
      sortBy: 'createTime',
      sortOrder: 'asc',
      firstResult: query.firstResult,
      maxResults: query.maxResults,
    };
    const dtos = await this.engine.request<HistoricIncidentDto[]>('list historic incidents', { method: 'GET', url: enginePath`/history/incident`, params });
    return dtos.map((dto) => ({
      id: dto.id,
      processInstanceId: dto.processInstanceId,
      type: dto.incidentType,
      message: dto.incidentMessage,
      activityId: dto.activityId,
      configuration: dto.configuration,
      annotation: dto.annotation,
      createdAt: fromEngineDate(dto.createTime),
      endedAt: fromEngineDate(dto.endTime),
      state: dto.open ? 'OPEN' : dto.resolved ? 'RESOLVED' : 'DELETED',
    }));
  }

  /**
   * Instances whose variables changed since a time, from the history of variable updates (one entry per update);
   * `createdVariableId` names the variable an update created.
   */
  async listInstancesWithVariableUpdates(query: {
    after: Date;
    firstResult: number;
    maxResults: number;
  }): Promise<{ id: string; processInstanceId: string | null; createdVariableId: string | null }[]> {
    const params = {
      variableUpdates: true,
      occurredAfter: toEngineDate(query.after),
      sortBy: 'time',
      sortOrder: 'asc',
      firstResult: query.firstResult,
      maxResults: query.maxResults,
    };
    const dtos = await this.engine.request<HistoricDetailDto[]>('list variable updates', { method: 'GET', url: enginePath`/history/detail`, params });
    return dtos.map((dto) => ({
      id: dto.id,
      processInstanceId: dto.processInstanceId,
      createdVariableId: dto.revision === 0 && dto.variableInstanceId ? dto.variableInstanceId : null,
    }));
  }

  /** Oldest first: entries appended while the pages are read land after them, so no page boundary moves. */
  async listUserOperations(query: { after: Date; firstResult: number; maxResults: number }): Promise<EngineUserOperation[]> {
    const params = {
      afterTimestamp: toEngineDate(query.after),
      sortBy: 'timestamp',
      sortOrder: 'asc',
      firstResult: query.firstResult,
      maxResults: query.maxResults,
    };
    const dtos = await this.engine.request<UserOperationLogEntryDto[]>('list user operations', {
      method: 'GET',
      url: enginePath`/history/user-operation`,
      params,
    });
    return dtos.map((dto) => ({
      id: dto.id,
      operationId: dto.operationId,
      at: fromEngineDate(dto.timestamp),
      operationType: dto.operationType,
      entityType: dto.entityType,
      processInstanceId: dto.processInstanceId,
      processDefinitionId: dto.processDefinitionId,
      processDefinitionKey: dto.processDefinitionKey,
      taskId: dto.taskId,
      property: dto.property,
      orgValue: dto.orgValue,
      newValue: dto.newValue,
    }));
  }

  /**
   * Finished batches, the latest end first. History has no "ended after" filter, so a caller pages until it passes
   * the time it cares about; a batch still running has no end time and is not listed.
   */
  async listFinishedBatches(query: { firstResult: number; maxResults: number }): Promise<EngineFinishedBatch[]> {
    const params = { completed: true, sortBy: 'endTime', sortOrder: 'desc', firstResult: query.firstResult, maxResults: query.maxResults };
    const dtos = await this.engine.request<HistoricBatchDto[]>('list finished batches', { method: 'GET', url: enginePath`/history/batch`, params });
    return dtos.flatMap((dto) => (dto.endTime ? [{ id: dto.id, type: dto.type, endedAt: fromEngineDate(dto.endTime) }] : []));
  }
}

function toProcessInstance(dto: HistoricProcessInstanceDto): EngineProcessInstance {
  const state = Object.values(EngineInstanceState).find((known) => known === dto.state);
  if (!state) throw new CamundaError(CamundaErrorCode.EngineFailure, `Unknown process instance state '${dto.state}'`);
  return {
    id: dto.id,
    definitionId: dto.processDefinitionId,
    definitionKey: dto.processDefinitionKey,
    definitionName: dto.processDefinitionName,
    definitionVersion: dto.processDefinitionVersion,
    businessKey: dto.businessKey,
    tenantId: dto.tenantId,
    state,
    startedAt: fromEngineDate(dto.startTime),
    endedAt: fromEngineDate(dto.endTime),
    deleteReason: dto.deleteReason,
    startUserId: dto.startUserId,
  };
}

function toTask(dto: HistoricTaskInstanceDto): EngineTask {
  return {
    id: dto.id,
    processInstanceId: dto.processInstanceId,
    processDefinitionKey: dto.processDefinitionKey,
    name: dto.name,
    description: dto.description,
    taskDefinitionKey: dto.taskDefinitionKey,
    assignee: dto.assignee,
    owner: dto.owner,
    priority: dto.priority,
    createdAt: fromEngineDate(dto.startTime),
    dueAt: fromEngineDate(dto.due),
    followUpAt: fromEngineDate(dto.followUp),
    endedAt: fromEngineDate(dto.endTime),
    deleteReason: dto.deleteReason,
    tenantId: dto.tenantId,
  };
}

function toVariable(dto: HistoricVariableInstanceDto): EngineVariable {
  const decoded = decodeTyped({ value: dto.value, type: dto.type, valueInfo: dto.valueInfo ?? undefined });
  return {
    id: dto.id,
    name: dto.name,
    type: dto.type,
    value: decoded.value,
    valueInfo: decoded.valueInfo ?? null,
    processInstanceId: dto.processInstanceId,
    executionId: dto.executionId,
    activityInstanceId: dto.activityInstanceId,
    taskId: dto.taskId,
  };
}

function historicInstanceFilter(filter: HistoricInstanceFilter): Record<string, unknown> {
  return {
    processInstanceIds: filter.processInstanceIds,
    unfinished: filter.unfinished,
    finished: filter.finished,
    withIncidents: filter.withIncidents,
    startedAfter: filter.startedAfter && toEngineDate(filter.startedAfter),
    startedBefore: filter.startedBefore && toEngineDate(filter.startedBefore),
    finishedAfter: filter.finishedAfter && toEngineDate(filter.finishedAfter),
  };
}
