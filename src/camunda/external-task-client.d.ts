// Types for the parts of camunda-external-task-client-js (ESM, untyped) that the gateway uses.
declare module 'camunda-external-task-client-js' {
  import { EventEmitter } from 'node:events';

  export type Interceptor = (config: Record<string, unknown>) => Record<string, unknown>;

  export interface ClientOptions {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    maxParallelExecutions?: number;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    interceptors?: Interceptor | Interceptor[];
    use?: ((client: Client) => void) | Array<(client: Client) => void>;
  }

  export interface TypedValue {
    value: unknown;
    type: string;
    valueInfo?: Record<string, unknown>;
  }

  export class Variables {
    getAllTyped(): Record<string, TypedValue>;
    setAllTyped(values: Record<string, TypedValue>): Variables;
  }

  export interface Task {
    id: string;
    topicName: string;
    workerId: string;
    processInstanceId: string;
    processDefinitionKey: string;
    activityId: string;
    businessKey: string | null;
    tenantId: string | null;
    retries: number | null;
    variables: Variables;
  }

  export interface FailureOptions {
    errorMessage: string;
    errorDetails?: string;
    retries: number;
    retryTimeout: number;
  }

  export interface TaskService {
    complete(task: Task, processVariables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(task: Task, options: FailureOptions): Promise<void>;
    unlock(task: Task): Promise<void>;
    handleBpmnError(task: Task, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    extendLock(task: Task, newDuration: number): Promise<void>;
  }

  export interface SubscribeOptions {
    lockDuration?: number;
    variables?: string[];
    localVariables?: boolean;
    tenantIdIn?: string[];
    processDefinitionKeyIn?: string[];
  }

  export type TaskHandler = (args: { task: Task; taskService: TaskService }) => Promise<void>;

  export class Client extends EventEmitter {
    constructor(options: ClientOptions);
    subscribe(topic: string, options: SubscribeOptions, handler: TaskHandler): { unsubscribe(): void };
    start(): void;
    stop(): void;
  }

  export const BasicAuthInterceptor: new (options: { username: string; password: string }) => Interceptor;
}
