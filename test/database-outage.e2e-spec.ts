import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { TcpProxy, throughLocalPort } from './support/tcp-proxy.js';
import { testEnv } from './support/test-env.js';

describe('gateway database outage: clear 503s, nothing the engine accepted is lost, recovery by itself', () => {
  const database = new URL(testEnv.databaseUrl);
  const proxy = new TcpProxy(database.hostname, Number(database.port || 5432));
  // Straight to PostgreSQL, around the proxy: what the test sees is not what the gateway sees.
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  let gateway: RunningGateway;
  let startedId: string | undefined;

  beforeAll(async () => {
    await proxy.open();
    gateway = await startGateway({
      DATABASE_URL: throughLocalPort(database, proxy.listeningPort),
      WORKERS_ENABLED: 'false',
      SYNC_INTERVAL_MS: '500',
    });
    await mirror.connect();
    // The caller has been served before the outage, as in production: the gateway knows who it is without its database.
    await gateway.http.get('/me').expect(200);
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy.cut();
    await mirror.end();
    if (startedId) await engineRest('DELETE', `/process-instance/${startedId}`).catch(() => undefined);
  });

  it('answers 202 for a start the engine accepted while the mirror is unreachable, and the poll mirrors it later', async () => {
    await proxy.cut();

    const accepted = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `DBDOWN-${randomUUID()}` })
      .expect(202);
    startedId = accepted.body.id;
    expect(accepted.body).toMatchObject({ mirrored: false, definitionId: expect.stringMatching(/^ticket-approval:/) });
    expect(accepted.headers.location).toBe(`/process-instances/${startedId}`);
    await expect(engineRest('GET', `/process-instance/${startedId}`)).resolves.toMatchObject({ id: startedId });

    const read = await gateway.http.get('/tasks').expect(503);
    expect(read.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(read.body).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect((await gateway.http.get('/health').expect(503)).body.error).toHaveProperty('database');

    await proxy.open();

    await eventually(
      async () => {
        const { rows } = await mirror.query('SELECT state FROM process_instances WHERE id = $1', [startedId]);
        expect(rows).toEqual([{ state: 'ACTIVE' }]);
      },
      15_000,
      200,
    );
    await gateway.http.get('/tasks').query({ processInstanceId: startedId }).expect(200);
    await eventually(() => gateway.http.get('/health').expect(200), 10_000, 200);
  });
});
