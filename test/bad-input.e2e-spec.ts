import { startGateway, type RunningGateway } from './support/gateway-app.js';

describe('bad input gets RFC 9457 problem details', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
  });

  afterAll(async () => {
    await gateway?.close();
  });

  it('unknown process key: 404 with the engine reason', async () => {
    const response = await gateway.http.post('/process-instances').send({ processDefinitionKey: 'no-such-process' }).expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'CAMUNDA_NOT_FOUND', instance: '/process-instances' });
    expect(response.body.detail).toContain('no-such-process');
  });

  it('missing and mistyped fields: 400 naming each field', async () => {
    const response = await gateway.http
      .post('/process-instances')
      .send({ businessKey: 7, variables: ['not', 'a', 'map'] })
      .expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['businessKey', 'processDefinitionKey', 'variables']);
  });

  it('fields the API does not know: 400 naming them', async () => {
    const response = await gateway.http.post('/process-instances').send({ processDefinitionKey: 'ticket-approval', tennant: 'x' }).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'tennant' })]);
  });

  it('a body that is not JSON: 400, no stack trace', async () => {
    const response = await gateway.http.post('/process-instances').set('Content-Type', 'application/json').send('{"processDefinitionKey":').expect(400);
    expect(response.body).toMatchObject({ status: 400 });
    expect(JSON.stringify(response.body)).not.toMatch(/at \w+ \(|node_modules/);
  });

  it('claim without a user: 400 naming userId', async () => {
    const response = await gateway.http.post('/tasks/some-task-id/claim').send({ userId: '' }).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'userId' })]);
  });

  it('bad query values: 400 naming the parameter', async () => {
    const response = await gateway.http.get('/tasks').query({ state: 'SLEEPING' }).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'state' })]);
  });

  it('unknown ids: 404', async () => {
    const instance = await gateway.http.get('/process-instances/00000000-0000-0000-0000-000000000000').expect(404);
    expect(instance.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    const task = await gateway.http.post('/tasks/00000000-0000-0000-0000-000000000000/complete').send({}).expect(404);
    expect(task.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  it('ids that cannot be engine ids: 400 before anything is asked', async () => {
    const response = await gateway.http.get(`/process-instances/${encodeURIComponent('../../etc')}`).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });

  it('unknown routes: 404 problem', async () => {
    const response = await gateway.http.get('/no/such/route').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
