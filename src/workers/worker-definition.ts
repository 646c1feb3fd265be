import type { ExternalTaskHandler, RetryPolicy, WorkerSettings } from './worker-api.js';

/** A topic's settings with every default filled in. */
export interface ResolvedWorkerSettings extends Required<Omit<WorkerSettings, 'retry' | 'tenantIds' | 'processDefinitionKeys'>> {
  retry: RetryPolicy;
  tenantIds?: string[];
  processDefinitionKeys?: string[];
}

/** A discovered handler and the settings it runs with. */
export interface WorkerDefinition {
  settings: ResolvedWorkerSettings;
  handler: ExternalTaskHandler;
}
