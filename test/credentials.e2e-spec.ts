import { eventually } from './support/eventually.js';
import { randomUUID } from 'node:crypto';
import { CapturingLogger, startGateway, type RunningGateway } from './support/gateway-app.js';

/**
 * The gateway's engine credentials never reach a response or a log line, even when the engine rejects them.
 * A user that does not exist is used: a wrong password for a real user would get it locked by the engine.
 */
describe('engine credentials stay secret', () => {
  const user = `ghost${randomUUID().slice(0, 8)}`;
  const password = `S3cret-${randomUUID()}`;
  const secrets = [password, Buffer.from(`${user}:${password}`).toString('base64')];
  const logger = new CapturingLogger();
  let gateway: RunningGateway;

  beforeAll(async () => {
    // The admin is known to the gateway before its engine turns it away, as in production (a caller provisioned
    // before an engine outage is let in), whichever test ran before this one.
    const healthy = await startGateway({ WORKERS_ENABLED: 'false' });
    await healthy.http.get('/me').expect(200);
    await healthy.close();
    gateway = await startGateway({ CAMUNDA_USER: user, CAMUNDA_PASSWORD: password, WORKER_LONG_POLL_MS: '0' }, logger);
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('answers 502 when the engine rejects the gateway, without the credentials', async () => {
    const response = await gateway.http.post('/process-instances').send({ processDefinitionKey: 'ticket-approval' }).expect(502);
    expect(response.body).toMatchObject({ code: 'CAMUNDA_CREDENTIALS_REJECTED', detail: 'Camunda engine rejected the gateway credentials' });
    const health = await gateway.http.get('/health').expect(503);
    for (const body of [JSON.stringify(response.body), JSON.stringify(health.body)]) {
      for (const secret of secrets) expect(body).not.toContain(secret);
    }
  });

  it('logs the failures of start-up deployment, sync and worker polling without the credentials', async () => {
    await gateway.http.post('/sync/run').expect(502);
    await eventually(() => {
      const logged = logger.lines.join('\n');
      expect(logged).toMatch(/BPMN deployment failed/);
      expect(logged).toMatch(/Fetching external tasks of '[^']+' failed/);
    }, 10_000);
    for (const secret of secrets) expect(logger.lines.join('\n')).not.toContain(secret);
  });
});
