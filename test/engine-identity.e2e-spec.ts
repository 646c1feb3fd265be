import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { engineProduct, engineRest } from './support/engine-rest.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { GatewayProcess } from './support/gateway-process.js';
import { RecordingProxy } from './support/recording-proxy.js';
import { testEnv } from './support/test-env.js';

// The gateway names the engine it runs against, and does not run against one older than it supports: at boot, or,
// when the engine did not answer at boot, as soon as it does.
describe('engine identity', () => {
  let gateway: RunningGateway;
  let product: Awaited<ReturnType<typeof engineProduct>>;
  let engineVersion: string;
  const proxy = new RecordingProxy(new URL(testEnv.camundaUrl));
  /** A version older than this engine's oldest supported one. */
  let tooOld: string;
  let oldest: string;

  beforeAll(async () => {
    product = await engineProduct();
    engineVersion = (await engineRest<{ version: string }>('GET', '/version')).version;
    [tooOld, oldest] = product.product === 'Operaton' ? ['0.9.0', '1.0.0'] : ['7.19.0', '7.20.0'];
    await proxy.start();
    gateway = await startGateway();
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy.stop();
  });

  it('names the engine and its version in /health and in a metric', async () => {
    const health = await gateway.http.get('/health').expect(200);
    const name = product.product.toLowerCase();
    expect(health.body.details.camunda).toMatchObject({ status: 'up', name, version: engineVersion });
    const metrics = (await gateway.http.get('/metrics').expect(200)).text;
    expect(metrics).toContain(`camunda_gateway_engine_info{name="${name}",version="${engineVersion}"} 1`);
  });

  it('refuses to start against an engine older than it supports, naming its version and the oldest supported', async () => {
    proxy.fault = (request) => (request.path === '/version' ? { status: 200, body: { version: tooOld } } : undefined);
    const start = GatewayProcess.start({ CAMUNDA_URL: proxy.url });
    await expect(start).rejects.toThrow(/exited with 1/);
    const message = await start.catch((error: Error) => error.message);
    expect(message).toContain(`version ${tooOld}, older than the oldest supported, ${oldest}`);
  });

  it('comes up while the engine does not answer, and stops once it turns out to be unsupported', async () => {
    proxy.fault = (request) => (request.path === '/version' || request.path === '/telemetry/data' ? { status: 503, body: { message: 'starting' } } : undefined);
    const gatewayProcess = await GatewayProcess.start({ CAMUNDA_URL: proxy.url });
    try {
      const live = await fetch(`${gatewayProcess.url}/health/live`);
      expect(live.status).toBe(200);
      proxy.fault = (request) => (request.path === '/version' ? { status: 200, body: { version: tooOld } } : undefined);
      const { code, output } = await gatewayProcess.exited(20_000);
      expect(code).toBe(1);
      expect(output).toContain(`version ${tooOld}, older than the oldest supported, ${oldest}`);
    } finally {
      await gatewayProcess.stop();
    }
  });
});
