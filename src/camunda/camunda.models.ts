// What the rest of the gateway knows of the engine: plain, typed values, no engine JSON.

export type PlainVariables = Record<string, unknown>;

/** A variable as Camunda types it; `valueInfo` carries e.g. an Object's type name or a File's name. */
export interface TypedVariable {
  value: unknown;
  type: string;
  valueInfo?: Record<string, unknown>;
}

export type TypedVariables = Record<string, TypedVariable>;

/** Where variables live: an instance (process scope), a task (what the task sees), or a task's own local scope. */
export interface VariableScope {
  kind: 'process-instance' | 'task' | 'task-local';
  id: string;
}

export interface BinaryContent {
  content: Buffer;
  fileName: string | null;
  mimeType: string | null;
}

export interface EngineProcessDefinition {
  id: string;
  key: string;
  name: string | null;
  version: number;
  versionTag: string | null;
  deploymentId: string;
  resourceName: string;
  suspended: boolean;
  tenantId: string | null;
}

export interface EngineDeploymentSummary {
  id: string;
  name: string | null;
  source: string | null;
  tenantId: string | null;
  deployedAt: Date;
}

export interface EngineDeployment extends EngineDeploymentSummary {
  /** Definitions this deployment created; empty when deploy-changed-only found nothing new. */
  processDefinitions: EngineProcessDefinition[];
  decisionDefinitionKeys: string[];
}

export interface DeploymentRequest {
  name: string;
  source: string;
  tenantId?: string;
  deployChangedOnly: boolean;
  resources: DeploymentResource[];
}

export interface MessageCorrelation {
  messageName: string;
  businessKey?: string;
  processInstanceId?: string;
  tenantId?: string;
  correlationKeys?: PlainVariables;
  processVariables?: PlainVariables;
  /** Correlate to every waiting execution and start event instead of exactly one. */
  all?: boolean;
}

export interface CorrelationResult {
  /** `Execution` (a waiting instance was triggered) or `ProcessDefinition` (a message start event started one). */
  resultType: string;
  processInstanceId: string;
}

export interface Signal {
  name: string;
  tenantId?: string;
  variables?: PlainVariables;
}

export interface EngineIncident {
  id: string;
  /** `failedJob`, `failedExternalTask` or a custom type. */
  type: string;
  message: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  activityId: string | null;
  /** The failed job's or external task's id, for retrying it. */
  configuration: string | null;
  annotation: string | null;
  tenantId: string | null;
  createdAt: Date;
}

/** Where a job or an external task lives: its tenant (null: none) and its instance (null: none, e.g. a timer of a definition). */
export interface WorkOwner {
  tenantId: string | null;
  processInstanceId: string | null;
}

export interface EngineVariable {
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

export interface EngineHistoricIncident {
  id: string;
  processInstanceId: string | null;
  type: string;
  message: string | null;
  activityId: string | null;
  configuration: string | null;
  annotation: string | null;
  createdAt: Date;
  endedAt: Date | null;
  state: 'OPEN' | 'RESOLVED' | 'DELETED';
}

export interface TaskHolder {
  id: string;
  processInstanceId: string | null;
  assignee: string | null;
  owner: string | null;
  tenantId: string | null;
}

export interface OpenTask {
  id: string;
  processInstanceId: string | null;
  assignee: string | null;
  /** Null while the task was not updated since its creation. */
  lastUpdated: Date | null;
}

/** An open task as the reconcile compares it with the mirror. */
export interface OpenTaskState {
  id: string;
  processInstanceId: string | null;
  name: string | null;
  assignee: string | null;
  priority: number;
  dueAt: Date | null;
  createdAt: Date;
  suspended: boolean;
}

export interface DefinitionStatistics {
  runningInstances: number;
  failedJobs: number;
  openIncidents: number;
  incidentsByType: Record<string, number>;
}

export interface DeploymentResource {
  fileName: string;
  content: Buffer;
}

/** The engine's own history states; history, not a runtime 404, tells completed from cancelled. */
export enum EngineInstanceState {
  Active = 'ACTIVE',
  Suspended = 'SUSPENDED',
  Completed = 'COMPLETED',
  ExternallyTerminated = 'EXTERNALLY_TERMINATED',
  InternallyTerminated = 'INTERNALLY_TERMINATED',
}

export interface EngineProcessInstance {
  id: string;
  definitionId: string;
  definitionKey: string;
  definitionName: string | null;
  definitionVersion: number;
  businessKey: string | null;
  tenantId: string | null;
  state: EngineInstanceState;
  startedAt: Date;
  endedAt: Date | null;
  deleteReason: string | null;
  /** The authenticated engine user of the start call (the gateway's own technical user for its starts). */
  startUserId: string | null;
}

export interface StartProcessInstance {
  /** Exactly one of key (latest version, optionally of a tenant) or id (that very version). */
  key?: string;
  id?: string;
  tenantId?: string;
  businessKey?: string;
  variables?: PlainVariables;
  withVariablesInReturn?: boolean;
}

export interface StartedProcessInstance {
  id: string;
  definitionId: string;
  businessKey: string | null;
  variables?: TypedVariables;
}

export interface ActivityInstanceNode {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  incidentIds: string[];
  children: ActivityInstanceNode[];
  /** Transitions waiting to start (asynchronous continuations). */
  transitions: { id: string; activityId: string; activityName: string | null; activityType: string }[];
}

export interface HistoricActivity {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  taskId: string | null;
  assignee: string | null;
  startedAt: Date;
  endedAt: Date | null;
  canceled: boolean;
}

export interface VariableChange {
  id: string;
  name: string;
  type: string;
  value: unknown;
  valueInfo: Record<string, unknown> | null;
  at: Date;
  revision: number;
  taskId: string | null;
  activityInstanceId: string | null;
}

export interface EngineTask {
  id: string;
  processInstanceId: string | null;
  processDefinitionKey: string | null;
  name: string | null;
  description: string | null;
  taskDefinitionKey: string | null;
  assignee: string | null;
  owner: string | null;
  priority: number;
  createdAt: Date;
  dueAt: Date | null;
  followUpAt: Date | null;
  endedAt: Date | null;
  /** `completed`, `deleted` or another engine reason once the task has ended. */
  deleteReason: string | null;
  tenantId: string | null;
}

export interface TaskUpdate {
  dueAt?: Date | null;
  followUpAt?: Date | null;
  priority?: number;
}

export interface TaskComment {
  id: string;
  userId: string | null;
  message: string;
  at: Date;
}

export interface TaskCandidates {
  users: string[];
  groups: string[];
}

export interface EngineUserOperation {
  id: string;
  /** Shared by the entries one operation wrote, one per property it names. */
  operationId: string;
  at: Date;
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

/** A batch (migration, deletion, suspension, set-variables) the engine has finished, from its history. */
export interface EngineFinishedBatch {
  id: string;
  type: string;
  endedAt: Date;
}

export interface HistoricInstanceQuery {
  startedAfter?: Date;
  finishedAfter?: Date;
  unfinished?: boolean;
  processDefinitionId?: string;
  processDefinitionKey?: string;
  firstResult?: number;
  maxResults?: number;
}

/** One change of a task's candidates, from the engine's identity-link log (kept at history level full). */
export interface CandidateLinkChange {
  id: string;
  taskId: string | null;
  userId: string | null;
  groupId: string | null;
  operation: 'add' | 'delete';
  at: Date;
}

/** Which historic process instances a query selects; the date bounds are inclusive, as the engine's are. */
export interface HistoricInstanceFilter {
  processInstanceIds?: string[];
  unfinished?: boolean;
  finished?: boolean;
  /** Only those with an incident, open or resolved. */
  withIncidents?: boolean;
  startedAfter?: Date;
  startedBefore?: Date;
  finishedAfter?: Date;
}

export interface HistoricTaskQuery {
  taskId?: string;
  processInstanceId?: string;
  startedAfter?: Date;
  finishedAfter?: Date;
  firstResult?: number;
  maxResults?: number;
}

/** A user of the engine's identity service, as its profile says. */
export interface EngineUserProfile {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
}

/** What a create call found: the engine made the entity, or one with that id was already there. */
export type CreateOutcome = 'created' | 'exists';
