import { GatewayConfig } from '../config/gateway-config.js';
import { resolveWorkerSettings } from './worker-settings.js';

describe('worker settings', () => {
  const config = Object.assign(new GatewayConfig(), { WORKER_LOCK_DURATION_MS: 30_000, WORKER_MAX_IN_FLIGHT: 7, WORKER_RETRY_ATTEMPTS: 4 });

  it('fills what a worker leaves out from the gateway defaults, fetching no variables', () => {
    expect(resolveWorkerSettings({ topic: 'billing', retry: { jitter: 0 } }, config)).toEqual({
      topic: 'billing',
      variables: [],
      localVariables: false,
      lockDurationMs: 30_000,
      maxInFlight: 7,
      refreshMirror: true,
      retry: { attempts: 4, initialDelayMs: config.WORKER_RETRY_INITIAL_DELAY_MS, factor: 2, maxDelayMs: config.WORKER_RETRY_MAX_DELAY_MS, jitter: 0 },
    });
  });

  it('refuses settings that cannot work, naming the topic and each problem', () => {
    expect(() => resolveWorkerSettings({ topic: 'billing', maxInFlight: 0, lockDurationMs: 10, retry: { jitter: 2 } }, config)).toThrow(
      "External-task worker 'billing': lockDurationMs must be an integer from 1000 to 3600000; maxInFlight must be an integer from 1 to 10000; retry.jitter must be between 0 and 1",
    );
    expect(() => resolveWorkerSettings({ topic: 'has space' }, config)).toThrow(/topic must be/);
  });
});
