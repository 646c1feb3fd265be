import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import { IdempotencyStore } from '../src/idempotency/idempotency-store.js';
import { callerScopedKey, requestFingerprint } from '../src/idempotency/idempotency-key.js';
import { userTaskProcess } from './fixtures/models.js';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { ADMIN_USER, startGateway, type RunningGateway } from './support/gateway-app.js';
import { decodeJwt, keycloak, userToken } from './support/keycloak.js';
import { RecordingProxy } from './support/recording-proxy.js';
import { TcpProxy, throughLocalPort } from './support/tcp-proxy.js';
import { testEnv } from './support/test-env.js';

/**
 * Commands that are safe to retry: Idempotency-Key replays, 2xx for whatever the engine accepted even when the
 * mirror cannot be written, a PATCH that keeps a concurrent claim, a bound on concurrent uploads. The gateway
 * reaches the engine through a proxy that can act between "the engine did it" and "the gateway knows", and the
 * database through a TCP proxy the test can cut.
 */
describe('commands that are safe to retry', () => {
  const run = randomUUID().slice(0, 8);
  const engine = new RecordingProxy(new URL(testEnv.camundaUrl));
  const database = new URL(testEnv.databaseUrl);
  const databaseProxy = new TcpProxy(database.hostname, Number(database.port || 5432));
  // Straight to PostgreSQL, around the proxy.
  const direct = new pg.Client({ connectionString: testEnv.databaseUrl });
  const instanceIds: string[] = [];
  const deploymentIds: string[] = [];
  let gateway: RunningGateway;

  async function startTicket(label: string): Promise<{ instanceId: string; taskId: string }> {
    const started = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `SAFE-${run}-${label}` })
      .expect(201);
    instanceIds.push(started.body.id);
    const [task] = (await gateway.http.get('/tasks').query({ processInstanceId: started.body.id }).expect(200)).body.items;
    return { instanceId: started.body.id, taskId: task.id };
  }

  function engineCalls(method: string, path: string): number {
    return engine.requests.filter((request) => request.method === method && request.path === path).length;
  }

  beforeAll(async () => {
    await engine.start();
    await databaseProxy.open();
    gateway = await startGateway({
      CAMUNDA_URL: engine.url,
      DATABASE_URL: throughLocalPort(database, databaseProxy.listeningPort),
      WORKERS_ENABLED: 'false',
      MAX_CONCURRENT_UPLOADS: '1',
    });
    await direct.connect();
  });

  afterEach(() => {
    engine.beforeAnswer = null;
  });

  afterAll(async () => {
    await gateway?.close();
    await engine.stop();
    await databaseProxy.cut();
    await direct.end();
    for (const id of instanceIds) await engineRest('DELETE', `/process-instance/${id}`).catch(() => undefined);
    for (const id of deploymentIds) await engineRest('DELETE', `/deployment/${id}?cascade=true`).catch(() => undefined);
  });

  describe('Idempotency-Key', () => {
    it('is declared on every POST operation of the OpenAPI document', async () => {
      const document = (await gateway.http.get('/docs-json').expect(200)).body as {
        paths: Record<string, { post?: { parameters?: { name: string; in: string }[] } }>;
      };
      const posts = Object.entries(document.paths).filter(([, path]) => path.post);
      expect(posts.length).toBeGreaterThan(10);
      const undeclared = posts.filter(
        ([, path]) => !path.post!.parameters?.some((parameter) => parameter.name === 'Idempotency-Key' && parameter.in === 'header'),
      );
      expect(undeclared.map(([route]) => route)).toEqual([]);
    });

    it('replays the first answer to a start: one instance in the engine, the same body twice', async () => {
      const key = randomUUID();
      const body = { processDefinitionKey: 'ticket-approval', businessKey: `SAFE-${run}-start` };
      const first = await gateway.http.post('/process-instances').set('Idempotency-Key', key).send(body).expect(201);
      instanceIds.push(first.body.id);
      const replay = await gateway.http
        .post('/process-instances')
        .set('Idempotency-Key', key)
        .send({ businessKey: body.businessKey, processDefinitionKey: 'ticket-approval' })
        .expect(201);

      expect(replay.body).toEqual(first.body);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      await expect(engineRest('GET', `/process-instance?businessKey=${body.businessKey}`)).resolves.toHaveLength(1);
    });

    it('lets exactly one of two concurrent starts with one key run', async () => {
      const key = randomUUID();
      const body = { processDefinitionKey: 'ticket-approval', businessKey: `SAFE-${run}-concurrent` };
      const answers = await Promise.all([1, 2].map(() => gateway.http.post('/process-instances').set('Idempotency-Key', key).send(body)));
      const started = await engineRest<{ id: string }[]>('GET', `/process-instance?businessKey=${body.businessKey}`);
      instanceIds.push(...started.map((instance) => instance.id));

      expect(started).toHaveLength(1);
      expect(answers.map((answer) => answer.status)).toContain(201);
      for (const answer of answers) {
        if (answer.status === 201) expect(answer.body.id).toBe(started[0].id);
        else expect(answer.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
      }
    });

    it('answers 503 with nothing done when the key cannot be taken because the database is cut', async () => {
      const businessKey = `SAFE-${run}-no-db`;
      await databaseProxy.cut();
      try {
        const refused = await gateway.http
          .post('/process-instances')
          .set('Idempotency-Key', randomUUID())
          .send({ processDefinitionKey: 'ticket-approval', businessKey })
          .expect(503);
        expect(refused.body).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      } finally {
        await databaseProxy.open();
      }
      await expect(engineRest('GET', `/process-instance?businessKey=${businessKey}`)).resolves.toEqual([]);
    });

    it('replays a task completion as the same 200, without completing again', async () => {
      const { taskId } = await startTicket('complete');
      const key = randomUUID();
      const first = await gateway.http
        .post(`/tasks/${taskId}/complete`)
        .set('Idempotency-Key', key)
        .send({ variables: { approved: true } })
        .expect(200);
      const replay = await gateway.http
        .post(`/tasks/${taskId}/complete`)
        .set('Idempotency-Key', key)
        .send({ variables: { approved: true } })
        .expect(200);

      expect(replay.body).toEqual(first.body);
      expect(first.body).toMatchObject({ id: taskId, state: 'COMPLETED' });
      expect(engineCalls('POST', `/task/${taskId}/complete`)).toBe(1);
      // Without the key, a retry reaches the engine, where the task is gone.
      await gateway.http
        .post(`/tasks/${taskId}/complete`)
        .send({ variables: { approved: true } })
        .expect(404);
    });

    it('replays a 4xx answer as it was first given', async () => {
      const key = randomUUID();
      const missing = randomUUID();
      const first = await gateway.http.post(`/tasks/${missing}/claim`).set('Idempotency-Key', key).send({ userId: 'demo' }).expect(404);
      const replay = await gateway.http.post(`/tasks/${missing}/claim`).set('Idempotency-Key', key).send({ userId: 'demo' }).expect(404);

      expect(replay.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
    });

    it('refuses the same key with a different request (422) and does nothing', async () => {
      const key = randomUUID();
      await gateway.http
        .post('/signals')
        .set('Idempotency-Key', key)
        .send({ name: `safe-${run}` })
        .expect(204);
      const reused = await gateway.http
        .post('/process-instances')
        .set('Idempotency-Key', key)
        .send({ processDefinitionKey: 'ticket-approval', businessKey: `SAFE-${run}-reused` })
        .expect(422);

      expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(reused.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      await expect(engineRest('GET', `/process-instance?businessKey=SAFE-${run}-reused`)).resolves.toEqual([]);
    });

    it.each([
      ['too long', 'k'.repeat(256)],
      ['with a control character', 'a\tb'],
    ])('answers 400 to a key that is %s', async (_, key) => {
      const refused = await gateway.http
        .post('/signals')
        .set('Idempotency-Key', key)
        .send({ name: `safe-${run}` })
        .expect(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'Idempotency-Key' }] });
    });

    /** The key as the gateway stores it for the suite's caller (root): keys are per caller. */
    async function storedKey(key: string): Promise<string> {
      return callerScopedKey(`${keycloak.issuer}\n${String(decodeJwt(await userToken(ADMIN_USER)).payload.sub)}`, key);
    }

    it('answers 409 with Retry-After while the first request with the key has not finished', async () => {
      const key = randomUUID();
      const body = { name: `safe-${run}` };
      await direct.query(`INSERT INTO idempotency_keys (key, fingerprint, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [
        await storedKey(key),
        requestFingerprint('POST', '/signals', body),
      ]);

      const busy = await gateway.http.post('/signals').set('Idempotency-Key', key).send(body).expect(409);
      expect(busy.body).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_IN_PROGRESS' });
      expect(busy.headers['retry-after']).toBeDefined();
    });

    it('runs a request anew once its key expired, and deletes expired keys', async () => {
      const key = randomUUID();
      const body = { name: `safe-${run}` };
      const stale = [key, randomUUID(), randomUUID()];
      for (const staleKey of stale) {
        await direct.query(
          `INSERT INTO idempotency_keys (key, fingerprint, status, body, expires_at) VALUES ($1, $2, 204, 'null', now() - interval '1 second')`,
          [await storedKey(staleKey), requestFingerprint('POST', '/signals', body)],
        );
      }
      const signalsBefore = engineCalls('POST', '/signal');
      const fresh = await gateway.http.post('/signals').set('Idempotency-Key', key).send(body).expect(204);
      expect(fresh.headers['idempotent-replayed']).toBeUndefined();
      expect(engineCalls('POST', '/signal')).toBe(signalsBefore + 1);

      await expect(gateway.app.get(IdempotencyStore).deleteExpired()).resolves.toBeGreaterThanOrEqual(2);
      const { rows } = await direct.query('SELECT key FROM idempotency_keys WHERE key = ANY($1)', [await Promise.all(stale.map(storedKey))]);
      expect(rows).toEqual([{ key: await storedKey(key) }]);
    });
  });

  it('answers 202 to a completion the engine accepted while the database is cut, never 503, and replays never complete again', async () => {
    const { instanceId, taskId } = await startTicket('db-cut');
    const key = randomUUID();
    engine.beforeAnswer = async (request, status) => {
      if (request.method === 'POST' && request.path === `/task/${taskId}/complete` && status < 300) await databaseProxy.cut();
    };
    try {
      const accepted = await gateway.http
        .post(`/tasks/${taskId}/complete`)
        .set('Idempotency-Key', key)
        .send({ variables: { approved: true } })
        .expect(202);
      expect(accepted.body).toEqual({ id: taskId, processInstanceId: instanceId, mirrored: false });
      const [historic] = await engineRest<{ endTime: string | null }[]>('GET', `/history/task?taskId=${taskId}`);
      expect(historic?.endTime).not.toBeNull();
    } finally {
      engine.beforeAnswer = null;
      await databaseProxy.open();
    }

    await eventually(async () => expect((await gateway.http.get(`/tasks/${taskId}`).expect(200)).body.state).toBe('COMPLETED'), 15_000, 200);
    // The answer is stored once the database is back; until then the key stays taken (409). Neither runs it again.
    const replay = await eventually(
      async () => {
        const answer = await gateway.http
          .post(`/tasks/${taskId}/complete`)
          .set('Idempotency-Key', key)
          .send({ variables: { approved: true } });
        expect(answer.status).toBe(202);
        return answer;
      },
      15_000,
      200,
    );
    expect(replay.body).toEqual({ id: taskId, processInstanceId: instanceId, mirrored: false });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(engineCalls('POST', `/task/${taskId}/complete`)).toBe(1);
  });

  it('answers 202 to a deployment the engine accepted while the database is cut, and the poll mirrors its definition', async () => {
    const key = `safe${run}`;
    engine.beforeAnswer = async (request, status) => {
      if (request.method === 'POST' && request.path === '/deployment/create' && status < 300) await databaseProxy.cut();
    };
    try {
      const accepted = await gateway.http.post('/deployments').field('name', `safe-${run}`).attach('model', userTaskProcess(key), `${key}.bpmn`).expect(202);
      deploymentIds.push(accepted.body.id);
      expect(accepted.body).toMatchObject({ id: expect.any(String), mirrored: false, processDefinitions: [expect.objectContaining({ key })] });
    } finally {
      engine.beforeAnswer = null;
      await databaseProxy.open();
    }
    await eventually(() => gateway.http.get(`/process-definitions/key/${key}`).expect(200), 15_000, 200);
  });

  it('keeps a claim that lands between the PATCH reading the task and writing it back', async () => {
    const { taskId } = await startTicket('patch-race');
    let claimed = false;
    engine.beforeAnswer = async (request) => {
      if (!claimed && request.method === 'GET' && request.path === `/task/${taskId}`) {
        claimed = true;
        await engineRest('POST', `/task/${taskId}/claim`, { userId: `racer${run}` });
      }
    };

    const patched = await gateway.http.patch(`/tasks/${taskId}`).send({ priority: 77, dueAt: '2030-06-01T12:00:00Z' }).expect(200);

    expect(claimed).toBe(true);
    expect(patched.body).toMatchObject({ assignee: `racer${run}`, priority: 77 });
    await expect(engineRest('GET', `/task/${taskId}`)).resolves.toMatchObject({
      assignee: `racer${run}`,
      priority: 77,
      due: expect.stringMatching(/^2030-06-01T/),
    });
  });

  describe('concurrent uploads', () => {
    const boundary = `bound${run}`;
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="data"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n`;
    const tail = `hello\r\n--${boundary}--\r\n`;
    let server: Server;

    beforeAll(async () => {
      server = gateway.app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    it('refuses an upload beyond the bound with 503 and Retry-After, and takes uploads again once one finished', async () => {
      const { instanceId } = await startTicket('uploads');
      const path = `/process-instances/${instanceId}/variables/scan/data`;
      const { port } = server.address() as { port: number };
      // An upload whose body is still arriving holds the only slot.
      const slow = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path,
        headers: {
          authorization: `Bearer ${await userToken(ADMIN_USER)}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': Buffer.byteLength(head + tail),
        },
      });
      const slowAnswer = new Promise<number>((resolve, reject) =>
        slow
          .on('response', (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          })
          .on('error', reject),
      );
      slow.write(head);

      const refused = await eventually(async () => {
        const answer = await gateway.http.put(path).attach('data', Buffer.from('second'), 'b.txt');
        expect(answer.status).toBe(503);
        return answer;
      });
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 503, code: 'TOO_MANY_UPLOADS' });
      expect(refused.headers['retry-after']).toBeDefined();

      slow.end(tail);
      await expect(slowAnswer).resolves.toBe(200);
      await eventually(() => gateway.http.put(path).attach('data', Buffer.from('third'), 'c.txt').expect(200));
    });
  });
});
