import type { GatewayConfig } from '../config/gateway-config.js';
import type { WorkerSettings } from './worker-api.js';
import type { ResolvedWorkerSettings } from './worker-definition.js';

const DEFAULT_FACTOR = 2;
const DEFAULT_JITTER = 0.2;

/** Fills a worker's settings from the gateway's defaults and refuses values that cannot work, naming the topic. */
export function resolveWorkerSettings(settings: WorkerSettings, config: GatewayConfig): ResolvedWorkerSettings {
  const resolved: ResolvedWorkerSettings = {
    topic: settings.topic,
    variables: settings.variables ?? [],
    localVariables: settings.localVariables ?? false,
    lockDurationMs: settings.lockDurationMs ?? config.WORKER_LOCK_DURATION_MS,
    maxInFlight: settings.maxInFlight ?? config.WORKER_MAX_IN_FLIGHT,
    refreshMirror: settings.refreshMirror ?? true,
    retry: {
      attempts: settings.retry?.attempts ?? config.WORKER_RETRY_ATTEMPTS,
      initialDelayMs: settings.retry?.initialDelayMs ?? config.WORKER_RETRY_INITIAL_DELAY_MS,
      factor: settings.retry?.factor ?? DEFAULT_FACTOR,
      maxDelayMs: settings.retry?.maxDelayMs ?? config.WORKER_RETRY_MAX_DELAY_MS,
      jitter: settings.retry?.jitter ?? DEFAULT_JITTER,
    },
    ...(settings.tenantIds ? { tenantIds: settings.tenantIds } : {}),
    ...(settings.processDefinitionKeys ? { processDefinitionKeys: settings.processDefinitionKeys } : {}),
  };
  const problems = [
    !/^[\w.-]{1,255}$/.test(resolved.topic) && 'topic must be 1-255 letters, digits, ".", "_" or "-"',
    !(resolved.lockDurationMs >= 1_000) && 'lockDurationMs must be at least 1000',
    !(Number.isInteger(resolved.maxInFlight) && resolved.maxInFlight >= 1) && 'maxInFlight must be a positive integer',
    !(Number.isInteger(resolved.retry.attempts) && resolved.retry.attempts >= 1) && 'retry.attempts must be a positive integer',
    !(resolved.retry.initialDelayMs >= 0 && resolved.retry.maxDelayMs >= resolved.retry.initialDelayMs) && 'retry delays must satisfy 0 <= initialDelayMs <= maxDelayMs',
    !(resolved.retry.factor >= 1) && 'retry.factor must be at least 1',
    !(resolved.retry.jitter >= 0 && resolved.retry.jitter <= 1) && 'retry.jitter must be between 0 and 1',
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) throw new Error(`External-task worker '${settings.topic}': ${problems.join('; ')}`);
  return resolved;
}
