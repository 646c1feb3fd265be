import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';

type Problem = { status: number; code: string; detail: string; errors?: { field: string }[] };

/** The reproducers of issue 7, each a 4xx problem that leaves the engine's data as it was. */
describe('hostile input never reaches the engine or the mirror', () => {
  let gateway: RunningGateway;
  let instanceId: string;
  let taskId: string;
  const businessKey = `HOSTILE-${randomUUID()}`;

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
    const started = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey, variables: { title: 'kept' } })
      .expect(201);
    instanceId = started.body.id;
    taskId = (await gateway.http.get('/tasks').query({ processInstanceId: instanceId }).expect(200)).body.items[0].id;
  });

  afterAll(async () => {
    await gateway?.close();
    if (instanceId) await engineRest('DELETE', `/process-instance/${instanceId}`).catch(() => undefined);
  });

  function expectProblem(response: { status: number; headers: Record<string, string>; body: Problem }, status: number, code: string | RegExp): Problem {
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code: typeof code === 'string' ? code : expect.stringMatching(code) });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(response.body)).not.toMatch(/at \w+ \(|node_modules|org\.camunda|Exception\b/);
    return response.body;
  }

  async function expectInstanceIntact(): Promise<void> {
    const instance = await engineRest<{ id: string; suspended: boolean }>('GET', `/process-instance/${instanceId}`);
    expect(instance).toMatchObject({ id: instanceId, suspended: false });
    const title = await engineRest<{ value: unknown }>('GET', `/process-instance/${instanceId}/variables/title`);
    expect(title.value).toBe('kept');
  }

  it.each(['%2e%2e', '%2E%2E', '.%2e', '%2e', '%252e%252e', '..%3bx'])('a variable named %s is refused, and the instance survives', async (name) => {
    expectProblem(await gateway.http.delete(`/process-instances/${instanceId}/variables/${name}`), 400, /INVALID_PATH_SEGMENT|VALIDATION_FAILED/);
    expectProblem(await gateway.http.put(`/tasks/${taskId}/variables/${name}`).send({ value: 1 }), 400, /INVALID_PATH_SEGMENT|VALIDATION_FAILED/);
    await expectInstanceIntact();
  });

  it('a tenant id of .. is refused, not silently dropped', async () => {
    expectProblem(await gateway.http.post('/process-instances').send({ processDefinitionKey: 'ticket-approval', tenantId: '..' }), 400, 'INVALID_PATH_SEGMENT');
  });

  it('a body without the JSON media type is a 415 and the action does not run', async () => {
    expectProblem(
      await gateway.http.post(`/process-instances/${instanceId}/suspend`).set('Content-Type', 'text/plain').send('x'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(
      await gateway.http.put(`/process-instances/${instanceId}/variables/title`).set('Content-Type', 'text/plain').send('x'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(await gateway.http.post(`/tasks/${taskId}/complete`).type('form').send({ variables: 'x' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectProblem(
      await gateway.http.patch(`/tasks/${taskId}`).set('Content-Type', 'multipart/form-data; boundary=x').send('--x--'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectInstanceIntact();
    const task = await engineRest<{ id: string }[]>('GET', `/task?processInstanceId=${instanceId}`);
    expect(task.map((open) => open.id)).toEqual([taskId]);
  });

  it('deep nesting, null maps, NUL, lone surrogates and prototype keys are 400s', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    expectProblem(await gateway.http.post('/process-instances').set('Content-Type', 'application/json').send(deep), 400, 'VALIDATION_FAILED');
    expectProblem(await gateway.http.post(`/tasks/${taskId}/complete`).send({ variables: null }), 400, 'VALIDATION_FAILED');
    expectProblem(await gateway.http.post('/messages').send({ messageName: 'm', correlationKeys: null }), 400, 'VALIDATION_FAILED');
    expectProblem(await gateway.http.get('/tasks').query({ businessKey: '\u0000' }), 400, 'VALIDATION_FAILED');
    expectProblem(await gateway.http.post('/messages').send({ messageName: 'm\u0000', businessKey }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await gateway.http.post('/process-instances').send({ processDefinitionKey: 'ticket-approval', businessKey: 'x\ud800' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await gateway.http
        .post('/process-instances')
        .set('Content-Type', 'application/json')
        .send('{"processDefinitionKey":"ticket-approval","__proto__":{"admin":true}}'),
      400,
      'VALIDATION_FAILED',
    );
    await expectInstanceIntact();
  });

  it('tampered cursors, out-of-range numbers and dates, and loose coercions are 400s', async () => {
    const tampered = Buffer.from(JSON.stringify({ k: 'created', v: 'garbage', id: 'x' })).toString('base64url');
    expectProblem(await gateway.http.get('/tasks').query({ cursor: tampered }), 400, 'VALIDATION_FAILED');
    expectProblem(
      await gateway.http.get('/process-instances').query({ cursor: Buffer.from('{"k":"started","v":1e400,"id":"\\u0000"}').toString('base64url') }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await gateway.http.get('/tasks').query({ priority: '2147483648' }), 400, 'VALIDATION_FAILED');
    expectProblem(await gateway.http.get('/tasks').query({ createdAfter: '-004714-01-01T00:00:00Z' }), 400, 'VALIDATION_FAILED');
    expectProblem(await gateway.http.get('/tasks').query({ limit: '0x10' }), 400, 'VALIDATION_FAILED');
    expectProblem(await gateway.http.patch(`/tasks/${taskId}`).send({ dueAt: true }), 400, 'VALIDATION_FAILED');
    expectProblem(await gateway.http.patch(`/tasks/${taskId}`).send({ dueAt: '2026-02-30' }), 400, 'VALIDATION_FAILED');
    const task = await engineRest<{ due: string | null }>('GET', `/task/${taskId}`);
    expect(task.due).toBeNull();
  });

  it('variable maps get the same rules as single variables', async () => {
    const start = (variables: unknown) => gateway.http.post('/process-instances').send({ processDefinitionKey: 'ticket-approval', variables });
    expectProblem(await start({ title: { value: 1, type: 'Nope' } }), 400, 'INVALID_VARIABLE');
    expectProblem(await start({ title: 'x'.repeat(4001) }), 400, 'INVALID_VARIABLE');
    expectProblem(await start({ ['n'.repeat(256)]: 1 }), 400, 'INVALID_VARIABLE');
    const object = (serializationDataFormat: string, value: string) => ({
      type: 'Object',
      value,
      valueInfo: { objectTypeName: 'java.util.HashMap', serializationDataFormat },
    });
    expectProblem(await start({ o: object('application/x-java-serialized-object', 'rO0ABQ==') }), 400, 'INVALID_VARIABLE');
    expectProblem(await start({ o: object('application/json', '{broken') }), 400, 'INVALID_VARIABLE');
  });

  it('inputs the engine refuses are the caller’s 4xx with the engine’s reason, not 502', async () => {
    const correlation = expectProblem(
      await gateway.http.post('/messages').send({ messageName: 'm', correlationKeys: { k: { a: 1 } } }),
      400,
      'CAMUNDA_REJECTED',
    );
    expect(correlation.detail).toContain('cannot be used to query');
    const dmn = '<?xml version="1.0"?><definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="x"><decision id="broken';
    expectProblem(
      await gateway.http.post('/deployments').field('name', `bad-dmn-${randomUUID()}`).attach('files', Buffer.from(dmn), 'bad.dmn'),
      400,
      'CAMUNDA_REJECTED',
    );
  });

  it('unknown ids are 404 wherever they appear', async () => {
    const unknown = '00000000-0000-0000-0000-000000000000';
    // An unknown instance or task reads like one out of reach (RESOURCE_NOT_FOUND); a missing part of one in reach is the engine's 404.
    expectProblem(await gateway.http.get(`/process-instances/${unknown}/variables/title/data`), 404, 'RESOURCE_NOT_FOUND');
    expectProblem(await gateway.http.get(`/process-instances/${instanceId}/variables/nothing-here/data`), 404, 'CAMUNDA_NOT_FOUND');
    expectProblem(await gateway.http.get(`/tasks/${unknown}/form-variables`), 404, 'RESOURCE_NOT_FOUND');
    expectProblem(await gateway.http.get(`/tasks/${unknown}/comments`), 404, 'RESOURCE_NOT_FOUND');
    expectProblem(await gateway.http.post(`/tasks/${unknown}/comments`).send({ message: 'x' }), 404, 'RESOURCE_NOT_FOUND');
    expectProblem(await gateway.http.put(`/jobs/${unknown}/retries`).send({ retries: 1 }), 404, 'RESOURCE_NOT_FOUND');
    expectProblem(await gateway.http.get(`/deployments/${unknown}`), 404, 'RESOURCE_NOT_FOUND');
    expectProblem(await gateway.http.get(`/process-instances/${unknown}/incidents`), 404, 'RESOURCE_NOT_FOUND');
  });

  it('refuses commands a page on another site makes a browser send, even without a body', async () => {
    expectProblem(await gateway.http.post(`/tasks/${taskId}/complete`).set('Origin', 'https://evil.example'), 403, 'CROSS_SITE_REQUEST');
    expectProblem(await gateway.http.post(`/process-instances/${instanceId}/suspend`).set('Sec-Fetch-Site', 'cross-site'), 403, 'CROSS_SITE_REQUEST');
    const model = Buffer.from('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>');
    expectProblem(
      await gateway.http.post('/deployments').set('Origin', 'https://evil.example').field('name', 'csrf').attach('files', model, 'csrf.bpmn'),
      403,
      'CROSS_SITE_REQUEST',
    );
    await expectInstanceIntact();
    const task = await engineRest<{ id: string }[]>('GET', `/task?processInstanceId=${instanceId}`);
    expect(task.map((open) => open.id)).toEqual([taskId]);
  });

  it('an empty body does not set a variable to Null, and Object values are checked even when null', async () => {
    expectProblem(await gateway.http.put(`/process-instances/${instanceId}/variables/title`), 400, 'VALIDATION_FAILED');
    expectProblem(await gateway.http.put(`/process-instances/${instanceId}/variables/title`).send({}), 400, 'VALIDATION_FAILED');
    const nullObject = { type: 'Object', value: null, valueInfo: { objectTypeName: 'x', serializationDataFormat: 'application/x-java-serialized-object' } };
    expectProblem(await gateway.http.put(`/process-instances/${instanceId}/variables/other`).send(nullObject), 400, 'INVALID_VARIABLE');
    expectProblem(await gateway.http.post(`/tasks/${taskId}/resolve`).send({ variables: { o: nullObject } }), 400, 'INVALID_VARIABLE');
    expectProblem(
      await gateway.http
        .post('/process-instances')
        .set('Content-Type', 'application/json')
        .send('{"processDefinitionKey":"ticket-approval","variables":{"n":1e400}}'),
      400,
      'VALIDATION_FAILED',
    );
    await expectInstanceIntact();
  });

  it('multipart fields and file names get the same value rules, and bounds on their number and size', async () => {
    const model = Buffer.from('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>');
    expectProblem(await gateway.http.post('/deployments').field('name', 'rev\u0000iew').attach('files', model, 'x.bpmn'), 400, 'VALIDATION_FAILED');
    expectProblem(
      await gateway.http.post('/deployments').field('name', 'x').field('__proto__', 'x').attach('files', model, 'x.bpmn'),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await gateway.http.put(`/process-instances/${instanceId}/variables/f/data`).attach('data', Buffer.from('x'), 'a\u0000b.txt'),
      400,
      /^(VALIDATION_FAILED|MALFORMED_REQUEST)$/,
    );
    let many = gateway.http.post('/deployments').field('name', 'x');
    for (let field = 0; field < 30; field += 1) many = many.field(`f${field}`, 'x'.repeat(1000));
    const tooMany = await many.attach('files', model, 'x.bpmn');
    expect(tooMany.status).toBeGreaterThanOrEqual(400);
    expect(tooMany.status).toBeLessThan(500);
  });

  it('keeps a UTF-8 upload file name and sends security headers without X-Powered-By', async () => {
    const fileName = 'résumé 日本.txt';
    const uploaded = await gateway.http.put(`/process-instances/${instanceId}/variables/doc/data`).attach('data', Buffer.from('hello'), fileName).expect(200);
    expect(uploaded.body.valueInfo.filename).toBe(fileName);
    expect(uploaded.headers['x-powered-by']).toBeUndefined();
    expect(uploaded.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
    expect(uploaded.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
