import type { GatewayConfig } from '../config/gateway-config.js';
import type { WorkerSettings } from './worker-api.js';
import type { ResolvedWorkerSettings } from './worker-definition.js';

const DEFAULT_FACTOR = 2;
const DEFAULT_JITTER = 0.2;
// As WORKER_LOCK_DURATION_MS allows; a renewal timer of a third of it stays far from Node's 2^31 ms limit.
const MAX_LOCK_MS = 3_600_000;
const MAX_DELAY_MS = 86_400_000;

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

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
    !isIntegerIn(resolved.lockDurationMs, 1_000, MAX_LOCK_MS) && `lockDurationMs must be an integer from 1000 to ${MAX_LOCK_MS}`,
    !isIntegerIn(resolved.maxInFlight, 1, 10_000) && 'maxInFlight must be an integer from 1 to 10000',
    !isIntegerIn(resolved.retry.attempts, 1, 100) && 'retry.attempts must be an integer from 1 to 100',
    !(isIntegerIn(resolved.retry.initialDelayMs, 0, MAX_DELAY_MS) && isIntegerIn(resolved.retry.maxDelayMs, resolved.retry.initialDelayMs, MAX_DELAY_MS)) &&
      `retry delays must be integers with 0 <= initialDelayMs <= maxDelayMs <= ${MAX_DELAY_MS}`,
    !(resolved.retry.factor >= 1) && 'retry.factor must be at least 1',
    !(resolved.retry.jitter >= 0 && resolved.retry.jitter <= 1) && 'retry.jitter must be between 0 and 1',
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) throw new Error(`External-task worker '${settings.topic}': ${problems.join('; ')}`);
  return resolved;
}
