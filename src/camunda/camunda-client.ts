import { Injectable } from '@nestjs/common';
import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { GatewayConfig } from '../config/gateway-config.js';
import { CamundaError, CamundaErrorCode } from './camunda.errors.js';
import type {
  BinaryContent,
  ActivityInstanceNode,
  CorrelationResult,
  DefinitionStatistics,
  EngineHistoricIncident,
  EngineIncident,
  EngineVariable,
  OpenTask,
  MessageCorrelation,
  Signal,
  DeploymentRequest,
  EngineDeploymentSummary,
  EngineDeployment,
  EngineProcessDefinition,
  EngineProcessInstance,
  EngineTask,
  EngineUserOperation,
  HistoricActivity,
  HistoricInstanceQuery,
  HistoricTaskQuery,
  PlainVariables,
  StartProcessInstance,
  StartedProcessInstance,
  TaskCandidates,
  TaskComment,
  TaskUpdate,
  TypedVariable,
  TypedVariables,
  VariableChange,
  VariableScope,
} from './camunda.models.js';
import { EngineInstanceState } from './camunda.models.js';
import type {
  ActivityInstanceDto,
  DeploymentDto,
  DeploymentResourceDto,
  ProcessDefinitionStatisticsDto,
  BatchDto,
  CommentDto,
  DeploymentWithDefinitionsDto,
  GroupDto,
  HistoricActivityInstanceDto,
  HistoricProcessInstanceDto,
  HistoricTaskInstanceDto,
  IdentityLinkDto,
  ProcessDefinitionDto,
  ProcessInstanceDto,
  TaskDto,
  TypedValueDto,
  UserOperationLogEntryDto,
  HistoricVariableUpdateDto,
  HistoricDetailDto,
  HistoricIncidentDto,
  HistoricVariableInstanceDto,
  IncidentDto,
  MessageCorrelationResultDto,
  VariableMapDto,
  VersionDto,
} from './engine-dto.js';
import { fromEngineDate, toEngineDate } from './engine-date.js';
import { translateEngineError } from './engine-error-translator.js';
import { decodeTyped, decodeTypedVariables, encodeVariable, encodeVariables } from './variable-codec.js';

/** The typed engine-rest client: the only code in the gateway that speaks Camunda's REST API. */
@Injectable()
export class CamundaClient {
  private readonly http: AxiosInstance;

  constructor(config: GatewayConfig) {
    this.http = axios.create({
      baseURL: config.CAMUNDA_URL.replace(/\/+$/, ''),
      auth: { username: config.CAMUNDA_USER, password: config.CAMUNDA_PASSWORD },
      timeout: config.CAMUNDA_TIMEOUT_MS,
      headers: { Accept: 'application/json' },
    });
  }

  async version(): Promise<string> {
    return (await this.request<VersionDto>('read engine version', { method: 'GET', url: '/version' })).version;
  }

  async deploy(input: DeploymentRequest): Promise<EngineDeployment> {
    const form = new FormData();
    form.append('deployment-name', input.name);
    form.append('deployment-source', input.source);
    form.append('deploy-changed-only', String(input.deployChangedOnly));
    if (input.tenantId) form.append('tenant-id', input.tenantId);
    for (const resource of input.resources) {
      form.append(resource.fileName, new Blob([new Uint8Array(resource.content)]), resource.fileName);
    }
    const dto = await this.request<DeploymentWithDefinitionsDto>('create deployment', { method: 'POST', url: '/deployment/create', data: form });
    return {
      ...toDeploymentSummary(dto),
      processDefinitions: Object.values(dto.deployedProcessDefinitions ?? {}).map(toProcessDefinition),
      decisionDefinitionKeys: Object.values(dto.deployedDecisionDefinitions ?? {}).map((decision) => decision.key),
    };
  }

  async listDeployments(query: { name?: string; tenantId?: string; firstResult: number; maxResults: number }): Promise<EngineDeploymentSummary[]> {
    const params = { name: query.name, tenantIdIn: query.tenantId, sortBy: 'deploymentTime', sortOrder: 'desc', firstResult: query.firstResult, maxResults: query.maxResults };
    const dtos = await this.request<DeploymentDto[]>('list deployments', { method: 'GET', url: '/deployment', params });
    return dtos.map(toDeploymentSummary);
  }

  async getDeployment(id: string): Promise<EngineDeploymentSummary> {
    return toDeploymentSummary(await this.request<DeploymentDto>('read deployment', { method: 'GET', url: `/deployment/${encodeURIComponent(id)}` }));
  }

  async listDeploymentResources(id: string): Promise<{ id: string; name: string }[]> {
    const dtos = await this.request<DeploymentResourceDto[]>('list deployment resources', { method: 'GET', url: `/deployment/${encodeURIComponent(id)}/resources` });
    return dtos.map(({ id: resourceId, name }) => ({ id: resourceId, name }));
  }

  /** Without cascade the engine refuses (409) while instances of its definitions exist. */
  async deleteDeployment(id: string, cascade: boolean): Promise<void> {
    await this.request('delete deployment', { method: 'DELETE', url: `/deployment/${encodeURIComponent(id)}`, params: { cascade } });
  }

  async getProcessDefinitionXml(id: string): Promise<string> {
    const dto = await this.request<{ bpmn20Xml: string }>('read BPMN XML', { method: 'GET', url: `/process-definition/${encodeURIComponent(id)}/xml` });
    return dto.bpmn20Xml;
  }

  async setProcessDefinitionSuspended(id: string, suspended: boolean, includeInstances: boolean): Promise<void> {
    await this.request(suspended ? 'suspend process definition' : 'activate process definition', {
      method: 'PUT',
      url: `/process-definition/${encodeURIComponent(id)}/suspended`,
      data: { suspended, includeProcessInstances: includeInstances },
    });
  }

  /** Running instances, failed jobs and open incidents of one definition version. */
  async getProcessDefinitionStatistics(id: string): Promise<DefinitionStatistics> {
    const all = await this.request<ProcessDefinitionStatisticsDto[]>('read definition statistics', {
      method: 'GET',
      url: '/process-definition/statistics',
      params: { failedJobs: true, incidents: true },
    });
    const own = all.find((entry) => entry.id === id);
    const incidentsByType = Object.fromEntries((own?.incidents ?? []).map((incident) => [incident.incidentType, incident.incidentCount]));
    return {
      runningInstances: own?.instances ?? 0,
      failedJobs: own?.failedJobs ?? 0,
      openIncidents: Object.values(incidentsByType).reduce((sum, count) => sum + count, 0),
      incidentsByType,
    };
  }

  async listProcessDefinitions(query: { keys?: string[]; latestVersion?: boolean } = {}): Promise<EngineProcessDefinition[]> {
    const params = { keysIn: query.keys?.join(','), latestVersion: query.latestVersion, sortBy: 'version', sortOrder: 'asc' };
    const dtos = await this.request<ProcessDefinitionDto[]>('list process definitions', { method: 'GET', url: '/process-definition', params });
    return dtos.map(toProcessDefinition);
  }

  async startProcessInstance(input: StartProcessInstance): Promise<StartedProcessInstance> {
    const data = { businessKey: input.businessKey, variables: encodeVariables(input.variables), withVariablesInReturn: input.withVariablesInReturn };
    const dto = await this.request<ProcessInstanceDto>(`start process '${input.key ?? input.id}'`, { method: 'POST', url: startPath(input), data });
    return {
      id: dto.id,
      definitionId: dto.definitionId,
      businessKey: dto.businessKey,
      ...(input.withVariablesInReturn ? { variables: decodeTypedVariables(dto.variables) } : {}),
    };
  }

  /** Cancels through the batch API, the only one that records a delete reason; the batch runs asynchronously. */
  async cancelProcessInstances(ids: string[], reason: string | undefined): Promise<string> {
    const batch = await this.request<BatchDto>('cancel process instances', {
      method: 'POST',
      url: '/process-instance/delete',
      data: { processInstanceIds: ids, deleteReason: reason },
    });
    return batch.id;
  }

  async setProcessInstanceSuspended(id: string, suspended: boolean): Promise<void> {
    await this.request(suspended ? 'suspend process instance' : 'activate process instance', {
      method: 'PUT',
      url: `/process-instance/${encodeURIComponent(id)}/suspended`,
      data: { suspended },
    });
  }

  async getActivityInstanceTree(id: string): Promise<ActivityInstanceNode> {
    const dto = await this.request<ActivityInstanceDto>('read activity instances', { method: 'GET', url: `/process-instance/${encodeURIComponent(id)}/activity-instances` });
    return toActivityNode(dto);
  }

  async listHistoricActivities(processInstanceId: string): Promise<HistoricActivity[]> {
    // Activities often start in the same millisecond; the engine's sequence counter ("occurrence") breaks the tie.
    const dtos = await this.request<HistoricActivityInstanceDto[]>('list historic activities', {
      method: 'POST',
      url: '/history/activity-instance',
      data: { processInstanceId, sorting: [{ sortBy: 'startTime', sortOrder: 'asc' }, { sortBy: 'occurrence', sortOrder: 'asc' }] },
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
    const dtos = await this.request<HistoricVariableUpdateDto[]>('list variable changes', {
      method: 'GET',
      url: '/history/detail',
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

  /** The instance as history knows it, or null when the engine has no record of it at all. */
  async findHistoricProcessInstance(id: string): Promise<EngineProcessInstance | null> {
    try {
      const dto = await this.request<HistoricProcessInstanceDto>('read historic process instance', {
        method: 'GET',
        url: `/history/process-instance/${encodeURIComponent(id)}`,
      });
      return toProcessInstance(dto);
    } catch (error) {
      if (error instanceof CamundaError && error.code === CamundaErrorCode.NotFound) return null;
      throw error;
    }
  }

  async listHistoricProcessInstances(query: HistoricInstanceQuery): Promise<EngineProcessInstance[]> {
    const params = {
      startedAfter: query.startedAfter && toEngineDate(query.startedAfter),
      finishedAfter: query.finishedAfter && toEngineDate(query.finishedAfter),
      unfinished: query.unfinished,
      processInstanceIds: query.processInstanceIds?.join(','),
      sortBy: 'startTime',
      sortOrder: 'asc',
      firstResult: query.firstResult,
      maxResults: query.maxResults,
    };
    const dtos = await this.request<HistoricProcessInstanceDto[]>('list historic process instances', { method: 'GET', url: '/history/process-instance', params });
    return dtos.map(toProcessInstance);
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
    const dtos = await this.request<HistoricTaskInstanceDto[]>('list historic tasks', { method: 'GET', url: '/history/task', params });
    return dtos.map(toTask);
  }

  async getTaskCandidates(taskId: string): Promise<TaskCandidates> {
    const links = await this.request<IdentityLinkDto[]>('read task identity links', {
      method: 'GET',
      url: `/task/${encodeURIComponent(taskId)}/identity-links`,
      params: { type: 'candidate' },
    });
    return {
      users: links.flatMap((link) => (link.userId ? [link.userId] : [])),
      groups: links.flatMap((link) => (link.groupId ? [link.groupId] : [])),
    };
  }

  async listUserOperations(query: { after: Date; maxResults: number }): Promise<EngineUserOperation[]> {
    const params = { afterTimestamp: toEngineDate(query.after), sortBy: 'timestamp', sortOrder: 'asc', maxResults: query.maxResults };
    const dtos = await this.request<UserOperationLogEntryDto[]>('list user operations', { method: 'GET', url: '/history/user-operation', params });
    return dtos.map((dto) => ({
      id: dto.id,
      at: fromEngineDate(dto.timestamp),
      operationType: dto.operationType,
      entityType: dto.entityType,
      processInstanceId: dto.processInstanceId,
      taskId: dto.taskId,
    }));
  }

  async claimTask(taskId: string, userId: string): Promise<void> {
    await this.request('claim task', { method: 'POST', url: `/task/${encodeURIComponent(taskId)}/claim`, data: { userId } });
  }

  async completeTask(taskId: string, variables?: PlainVariables): Promise<void> {
    await this.request('complete task', {
      method: 'POST',
      url: `/task/${encodeURIComponent(taskId)}/complete`,
      data: { variables: encodeVariables(variables) ?? {} },
    });
  }

  async unclaimTask(taskId: string): Promise<void> {
    await this.request('unclaim task', { method: 'POST', url: `/task/${encodeURIComponent(taskId)}/unclaim` });
  }

  /** Sets or (with null) clears the assignee, whoever holds the task. */
  async setTaskAssignee(taskId: string, userId: string | null): Promise<void> {
    await this.request('assign task', { method: 'POST', url: `/task/${encodeURIComponent(taskId)}/assignee`, data: { userId } });
  }

  async delegateTask(taskId: string, userId: string): Promise<void> {
    await this.request('delegate task', { method: 'POST', url: `/task/${encodeURIComponent(taskId)}/delegate`, data: { userId } });
  }

  async resolveTask(taskId: string, variables?: PlainVariables): Promise<void> {
    await this.request('resolve task', { method: 'POST', url: `/task/${encodeURIComponent(taskId)}/resolve`, data: { variables: encodeVariables(variables) ?? {} } });
  }

  async updateTask(taskId: string, update: TaskUpdate): Promise<void> {
    const url = `/task/${encodeURIComponent(taskId)}`;
    const current = await this.request<TaskDto>('read task', { method: 'GET', url });
    const data = {
      name: current.name,
      description: current.description,
      assignee: current.assignee,
      owner: current.owner,
      delegationState: current.delegationState,
      due: update.dueAt === undefined ? current.due : update.dueAt && toEngineDate(update.dueAt),
      followUp: update.followUpAt === undefined ? current.followUp : update.followUpAt && toEngineDate(update.followUpAt),
      priority: update.priority ?? current.priority,
      parentTaskId: current.parentTaskId,
      caseInstanceId: current.caseInstanceId,
      tenantId: current.tenantId,
    };
    await this.request('update task', { method: 'PUT', url, data });
  }

  async getTaskFormVariables(taskId: string): Promise<TypedVariables> {
    const url = `/task/${encodeURIComponent(taskId)}/form-variables`;
    return decodeTypedVariables(await this.request<VariableMapDto>('read form variables', { method: 'GET', url, params: { deserializeValues: false } }));
  }

  async listTaskComments(taskId: string): Promise<TaskComment[]> {
    const dtos = await this.request<CommentDto[]>('list task comments', { method: 'GET', url: `/task/${encodeURIComponent(taskId)}/comment` });
    return dtos.map(toComment);
  }

  async addTaskComment(taskId: string, message: string): Promise<TaskComment> {
    const url = `/task/${encodeURIComponent(taskId)}/comment/create`;
    return toComment(await this.request<CommentDto>('add task comment', { method: 'POST', url, data: { message } }));
  }

  async listGroupIdsOfMember(userId: string): Promise<string[]> {
    const groups = await this.request<GroupDto[]>('list groups of user', { method: 'GET', url: '/group', params: { member: userId } });
    return groups.map((group) => group.id);
  }

  async correlateMessage(message: MessageCorrelation): Promise<CorrelationResult[]> {
    const dtos = await this.request<MessageCorrelationResultDto[]>(`correlate message '${message.messageName}'`, {
      method: 'POST',
      url: '/message',
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
    await this.request(`throw signal '${signal.name}'`, {
      method: 'POST',
      url: '/signal',
      data: { name: signal.name, tenantId: signal.tenantId, variables: encodeVariables(signal.variables) },
    });
  }

  /** Every variable an instance has now, across its scopes; values as the gateway shows them. */
  async listHistoricVariables(query: { processInstanceId: string; firstResult: number; maxResults: number }): Promise<EngineVariable[]> {
    const dtos = await this.request<HistoricVariableInstanceDto[]>('list historic variables', {
      method: 'GET',
      url: '/history/variable-instance',
      params: { ...query, deserializeValues: false, sortBy: 'variableName', sortOrder: 'asc' },
    });
    return dtos.map((dto) => {
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
    });
  }

  async listHistoricIncidents(query: { processInstanceId?: string; createTimeAfter?: Date; endTimeAfter?: Date; firstResult: number; maxResults: number }): Promise<EngineHistoricIncident[]> {
    const params = {
      processInstanceId: query.processInstanceId,
      createTimeAfter: query.createTimeAfter && toEngineDate(query.createTimeAfter),
      endTimeAfter: query.endTimeAfter && toEngineDate(query.endTimeAfter),
      sortBy: 'createTime',
      sortOrder: 'asc',
      firstResult: query.firstResult,
      maxResults: query.maxResults,
    };
    const dtos = await this.request<HistoricIncidentDto[]>('list historic incidents', { method: 'GET', url: '/history/incident', params });
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

  /** Instances whose variables changed since a time, from the history of variable updates. */
  async listInstancesWithVariableUpdates(query: { after: Date; firstResult: number; maxResults: number }): Promise<{ processInstanceId: string | null }[]> {
    const params = { variableUpdates: true, occurredAfter: toEngineDate(query.after), sortBy: 'time', sortOrder: 'asc', firstResult: query.firstResult, maxResults: query.maxResults };
    const dtos = await this.request<HistoricDetailDto[]>('list variable updates', { method: 'GET', url: '/history/detail', params });
    return dtos.map((dto) => ({ processInstanceId: dto.processInstanceId }));
  }

  /** Open user tasks (optionally only those changed since a time), by id so pages stay stable. */
  async listOpenTasks(query: { updatedAfter?: Date; firstResult: number; maxResults: number }): Promise<OpenTask[]> {
    const dtos = await this.request<TaskDto[]>('list open tasks', {
      method: 'GET',
      url: '/task',
      params: {
        updatedAfter: query.updatedAfter && toEngineDate(query.updatedAfter),
        sortBy: 'id',
        sortOrder: 'asc',
        firstResult: query.firstResult,
        maxResults: query.maxResults,
      },
    });
    return dtos.map((dto) => ({ id: dto.id, processInstanceId: dto.processInstanceId, assignee: dto.assignee }));
  }

  async listIncidents(query: { processInstanceId?: string; incidentType?: string; firstResult: number; maxResults: number }): Promise<EngineIncident[]> {
    const params = { ...query, sortBy: 'incidentTimestamp', sortOrder: 'desc' };
    const dtos = await this.request<IncidentDto[]>('list incidents', { method: 'GET', url: '/incident', params });
    return dtos.map((dto) => ({
      id: dto.id,
      type: dto.incidentType,
      message: dto.incidentMessage,
      processInstanceId: dto.processInstanceId,
      processDefinitionId: dto.processDefinitionId,
      activityId: dto.activityId,
      configuration: dto.configuration,
      annotation: dto.annotation,
      createdAt: fromEngineDate(dto.incidentTimestamp),
    }));
  }

  /** Null clears the annotation. */
  async annotateIncident(id: string, annotation: string | null): Promise<void> {
    const url = `/incident/${encodeURIComponent(id)}/annotation`;
    await this.request('annotate incident', annotation === null ? { method: 'DELETE', url } : { method: 'PUT', url, data: { annotation } });
  }

  /** Retries above zero resolve the job's incident and let the job executor run it again. */
  async setJobRetries(jobId: string, retries: number): Promise<void> {
    await this.request('set job retries', { method: 'PUT', url: `/job/${encodeURIComponent(jobId)}/retries`, data: { retries } });
  }

  async setExternalTaskRetries(externalTaskId: string, retries: number): Promise<void> {
    await this.request('set external task retries', { method: 'PUT', url: `/external-task/${encodeURIComponent(externalTaskId)}/retries`, data: { retries } });
  }

  async getVariables(scope: VariableScope): Promise<TypedVariables> {
    // deserializeValues=false: Object values come back as the engine stored them, never re-serialized.
    const dto = await this.request<VariableMapDto>('read variables', { method: 'GET', url: variablesPath(scope), params: { deserializeValues: false } });
    return decodeTypedVariables(dto);
  }

  async getVariable(scope: VariableScope, name: string): Promise<TypedVariable> {
    const url = `${variablesPath(scope)}/${encodeURIComponent(name)}`;
    return decodeTyped(await this.request<TypedValueDto>(`read variable '${name}'`, { method: 'GET', url, params: { deserializeValue: false } }));
  }

  async setVariable(scope: VariableScope, name: string, input: unknown): Promise<void> {
    const url = `${variablesPath(scope)}/${encodeURIComponent(name)}`;
    await this.request(`set variable '${name}'`, { method: 'PUT', url, data: encodeVariable(name, input) });
  }

  async deleteVariable(scope: VariableScope, name: string): Promise<void> {
    await this.request(`delete variable '${name}'`, { method: 'DELETE', url: `${variablesPath(scope)}/${encodeURIComponent(name)}` });
  }

  async uploadVariableData(scope: VariableScope, name: string, valueType: 'File' | 'Bytes', file: BinaryContent): Promise<void> {
    const form = new FormData();
    const blob = new Blob([new Uint8Array(file.content)], { type: file.mimeType ?? 'application/octet-stream' });
    form.append('data', blob, file.fileName ?? name);
    form.append('valueType', valueType);
    await this.request(`upload variable '${name}'`, { method: 'POST', url: `${variablesPath(scope)}/${encodeURIComponent(name)}/data`, data: form });
  }

  async downloadVariableData(scope: VariableScope, name: string): Promise<BinaryContent> {
    const response = await this.requestRaw(`download variable '${name}'`, {
      method: 'GET',
      url: `${variablesPath(scope)}/${encodeURIComponent(name)}/data`,
      responseType: 'arraybuffer',
    });
    const disposition = String(response.headers['content-disposition'] ?? '');
    return {
      content: Buffer.from(response.data as ArrayBuffer),
      mimeType: response.headers['content-type'] ? String(response.headers['content-type']) : null,
      fileName: /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? null,
    };
  }

  private async request<T = void>(operation: string, config: AxiosRequestConfig): Promise<T> {
    return (await this.requestRaw<T>(operation, config)).data;
  }

  private async requestRaw<T = unknown>(operation: string, config: AxiosRequestConfig): Promise<AxiosResponse<T>> {
    try {
      return await this.http.request<T>(config);
    } catch (error) {
      throw translateEngineError(error, operation);
    }
  }
}

function variablesPath(scope: VariableScope): string {
  const id = encodeURIComponent(scope.id);
  switch (scope.kind) {
    case 'process-instance':
      return `/process-instance/${id}/variables`;
    case 'task':
      return `/task/${id}/variables`;
    case 'task-local':
      return `/task/${id}/localVariables`;
  }
}

function toDeploymentSummary(dto: DeploymentDto): EngineDeploymentSummary {
  return { id: dto.id, name: dto.name, source: dto.source, tenantId: dto.tenantId, deployedAt: fromEngineDate(dto.deploymentTime) };
}

function startPath(input: StartProcessInstance): string {
  if (input.id) return `/process-definition/${encodeURIComponent(input.id)}/start`;
  const key = encodeURIComponent(input.key ?? '');
  return input.tenantId ? `/process-definition/key/${key}/tenant-id/${encodeURIComponent(input.tenantId)}/start` : `/process-definition/key/${key}/start`;
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

function toComment(dto: CommentDto): TaskComment {
  return { id: dto.id, userId: dto.userId, message: dto.message, at: fromEngineDate(dto.time) };
}

function toProcessDefinition(dto: ProcessDefinitionDto): EngineProcessDefinition {
  return {
    id: dto.id,
    key: dto.key,
    name: dto.name,
    version: dto.version,
    versionTag: dto.versionTag,
    deploymentId: dto.deploymentId,
    resourceName: dto.resource,
    suspended: dto.suspended,
    tenantId: dto.tenantId,
  };
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
