// Engine-rest JSON as Camunda 7 sends it. Private to src/camunda/: the client maps these to camunda.models.ts.

export interface EngineExceptionDto {
  type?: string;
  message?: string;
  code?: number;
  /** ParseException: problems per resource name. */
  details?: Record<string, { errors?: ParseProblemDto[]; warnings?: ParseProblemDto[] }>;
}

export interface ParseProblemDto {
  message: string;
  line: number | null;
  column: number | null;
  mainElementId: string | null;
}

export interface TypedValueDto {
  value: unknown;
  type: string;
  valueInfo?: Record<string, unknown>;
}

export type VariableMapDto = Record<string, TypedValueDto>;

export interface ProcessDefinitionDto {
  id: string;
  key: string;
  name: string | null;
  version: number;
  versionTag: string | null;
  deploymentId: string;
  resource: string;
  suspended: boolean;
  tenantId: string | null;
}

export interface DeploymentDto {
  id: string;
  name: string | null;
  source: string | null;
  deploymentTime: string;
  tenantId: string | null;
}

export interface DeploymentWithDefinitionsDto extends DeploymentDto {
  deployedProcessDefinitions: Record<string, ProcessDefinitionDto> | null;
  deployedDecisionDefinitions: Record<string, { id: string; key: string }> | null;
}

export interface DeploymentResourceDto {
  id: string;
  name: string;
  deploymentId: string;
}

export interface ProcessDefinitionStatisticsDto {
  id: string;
  instances: number;
  failedJobs: number;
  incidents: { incidentType: string; incidentCount: number }[];
}

export interface ProcessInstanceDto {
  id: string;
  definitionId: string;
  businessKey: string | null;
  ended: boolean;
  suspended: boolean;
  tenantId: string | null;
  variables?: VariableMapDto;
}

export interface HistoricProcessInstanceDto {
  id: string;
  processDefinitionId: string;
  processDefinitionKey: string;
  processDefinitionName: string | null;
  processDefinitionVersion: number;
  businessKey: string | null;
  startTime: string;
  endTime: string | null;
  deleteReason: string | null;
  tenantId: string | null;
  state: string;
  startUserId: string | null;
}

export interface HistoricTaskInstanceDto {
  id: string;
  processDefinitionKey: string | null;
  processDefinitionId: string | null;
  processInstanceId: string | null;
  name: string | null;
  description: string | null;
  deleteReason: string | null;
  owner: string | null;
  assignee: string | null;
  startTime: string;
  endTime: string | null;
  taskDefinitionKey: string | null;
  priority: number;
  due: string | null;
  followUp: string | null;
  tenantId: string | null;
}

export interface IdentityLinkDto {
  userId: string | null;
  groupId: string | null;
  type: string;
}

export interface HistoricIdentityLinkLogDto {
  id: string;
  time: string;
  type: string;
  userId: string | null;
  groupId: string | null;
  taskId: string | null;
  operationType: 'add' | 'delete';
}

export interface UserOperationLogEntryDto {
  id: string;
  /** Shared by the entries one operation wrote, one per changed property. */
  operationId: string;
  timestamp: string;
  operationType: string;
  entityType: string;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  processDefinitionKey: string | null;
  taskId: string | null;
  property: string | null;
  orgValue: string | null;
  newValue: string | null;
}

export interface HistoricBatchDto {
  id: string;
  type: string;
  startTime: string;
  endTime: string | null;
}

/** Runtime task: PUT /task/{id} replaces every updatable field, so updates start from a fresh read. */
export interface TaskDto {
  id: string;
  name: string | null;
  description: string | null;
  assignee: string | null;
  owner: string | null;
  delegationState: string | null;
  due: string | null;
  followUp: string | null;
  priority: number;
  parentTaskId: string | null;
  caseInstanceId: string | null;
  tenantId: string | null;
  processInstanceId: string | null;
}

export interface CommentDto {
  id: string;
  userId: string | null;
  taskId: string | null;
  processInstanceId: string | null;
  time: string;
  message: string;
}

export interface GroupDto {
  id: string;
}

export interface UserProfileDto {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

export interface TenantDto {
  id: string;
  name: string | null;
}

export interface ActivityInstanceDto {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  childActivityInstances: ActivityInstanceDto[];
  childTransitionInstances: { id: string; activityId: string; activityName: string | null; activityType: string }[];
  incidentIds: string[] | null;
}

export interface HistoricActivityInstanceDto {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  taskId: string | null;
  assignee: string | null;
  startTime: string;
  endTime: string | null;
  canceled: boolean;
}

export interface HistoricVariableUpdateDto {
  id: string;
  variableName: string;
  variableType: string;
  value: unknown;
  valueInfo: Record<string, unknown> | null;
  time: string;
  revision: number;
  activityInstanceId: string | null;
  taskId: string | null;
  userOperationId: string | null;
}

export interface BatchDto {
  id: string;
}

export interface MessageCorrelationResultDto {
  resultType: string;
  processInstance: { id: string } | null;
  execution: { processInstanceId: string } | null;
}

export interface IncidentDto {
  id: string;
  incidentType: string;
  incidentMessage: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  activityId: string | null;
  configuration: string | null;
  annotation: string | null;
  incidentTimestamp: string;
  tenantId: string | null;
}

/** The part of a job or an external task that says where it lives. */
export interface TenantOwnedDto {
  id: string;
  tenantId: string | null;
  processInstanceId: string | null;
}

export interface HistoricVariableInstanceDto {
  id: string;
  name: string;
  type: string;
  value: unknown;
  valueInfo: Record<string, unknown> | null;
  processInstanceId: string;
  executionId: string | null;
  activityInstanceId: string | null;
  taskId: string | null;
}

export interface HistoricIncidentDto {
  id: string;
  processInstanceId: string | null;
  incidentType: string;
  incidentMessage: string | null;
  activityId: string | null;
  configuration: string | null;
  annotation: string | null;
  createTime: string;
  endTime: string | null;
  open: boolean;
  resolved: boolean;
  deleted: boolean;
}

export interface HistoricDetailDto {
  id: string;
  processInstanceId: string | null;
  variableInstanceId?: string;
  /** The variable's revision after this update: 0 for the update that created it. */
  revision?: number;
}

export interface VersionDto {
  version: string;
}

/** GET /telemetry/data: only the product part is read. */
export interface TelemetryDataDto {
  product: { name: string; version: string };
}
