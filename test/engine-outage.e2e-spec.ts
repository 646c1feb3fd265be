import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { TcpProxy, throughLocalPort } from './support/tcp-proxy.js';
import { testEnv } from './support/test-env.js';

describe('engine outage: a clear 503, then recovery without a restart', () => {
  const engine = new URL(testEnv.camundaUrl);
  const proxy = new TcpProxy(engine.hostname, Number(engine.port || 80));
  let gateway: RunningGateway;
  const started: string[] = [];

  beforeAll(async () => {
    await proxy.open();
    gateway = await startGateway({
      CAMUNDA_URL: throughLocalPort(testEnv.camundaUrl, proxy.listeningPort),
      CAMUNDA_TIMEOUT_MS: '2000',
      WORKERS_ENABLED: 'false',
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy.cut();
    for (const id of started) await engineRest('DELETE', `/process-instance/${id}`).catch(() => undefined);
  });

  it('answers 503 problem+json while the engine is unreachable and works again once it is back', async () => {
    // The caller is provisioned while the engine answers: one never provisioned cannot be let in during an outage.
    await gateway.http.get('/process-definitions').expect(200);
    await proxy.cut();

    const failed = await gateway.http.post('/process-instances').send({ processDefinitionKey: 'ticket-approval' }).expect(503);
    expect(failed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(failed.body).toMatchObject({ status: 503, code: 'CAMUNDA_UNAVAILABLE', title: 'Process engine unavailable' });
    expect(failed.body.detail).toMatch(/unreachable/);
    // Neither the engine password nor a stack trace leaks into the answer.
    const basicToken = Buffer.from(`${testEnv.camundaUser}:${testEnv.camundaPassword}`).toString('base64');
    expect(JSON.stringify(failed.body)).not.toContain(basicToken);
    expect(JSON.stringify(failed.body)).not.toMatch(/authorization|password/i);
    expect(JSON.stringify(failed.body)).not.toMatch(/at \w+ \(/);

    const health = await gateway.http.get('/health').expect(503);
    expect(health.body.error).toHaveProperty('camunda');
    expect(health.body.info).toHaveProperty('database');

    await eventually(async () => {
      const status = await gateway.http.get('/sync/status').expect(200);
      expect(status.body.cursors[0].lastError).toMatch(/unreachable/);
    }, 5_000);

    await proxy.open();

    const recovered = await eventually(
      () =>
        gateway.http
          .post('/process-instances')
          .send({ processDefinitionKey: 'ticket-approval', businessKey: `OUTAGE-${randomUUID()}` })
          .expect(201),
      10_000,
    );
    started.push(recovered.body.id);
    expect(recovered.body).toMatchObject({ state: 'ACTIVE' });
    await gateway.http.get('/health').expect(200);
    await eventually(async () => {
      const status = await gateway.http.get('/sync/status').expect(200);
      expect(status.body.cursors[0].lastError).toBeNull();
    }, 5_000);
  });
});
