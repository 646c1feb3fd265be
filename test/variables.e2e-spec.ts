import { randomBytes, randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';

// supertest's parser signature types the response as a superagent Response; it is the raw stream here.
function binaryParser(response: any, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('variables through the gateway (real engine)', () => {
  let gateway: RunningGateway;
  let instanceId: string;
  let taskId: string;

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
    const started = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `VARS-${randomUUID()}`, variables: { seed: 'x' } })
      .expect(201);
    instanceId = started.body.id;
    taskId = (await gateway.http.get('/tasks').query({ processInstanceId: instanceId }).expect(200)).body.items[0].id;
  });

  afterAll(async () => {
    await gateway?.close();
    if (instanceId) await engineRest('DELETE', `/process-instance/${instanceId}`).catch(() => undefined);
  });

  const roundTrips: [string, { value: unknown; type: string; valueInfo?: Record<string, unknown> }][] = [
    ['String', { value: 'héllo ✓ "quoted"', type: 'String' }],
    ['Boolean', { value: false, type: 'Boolean' }],
    ['Short', { value: -32_768, type: 'Short' }],
    ['Integer', { value: 2_147_483_647, type: 'Integer' }],
    ['Long', { value: Number.MAX_SAFE_INTEGER, type: 'Long' }],
    ['Double', { value: 0.1, type: 'Double' }],
    ['Json', { value: { nested: [1, null, { a: 'b' }], empty: {} }, type: 'Json' }],
    ['Null', { value: null, type: 'Null' }],
    ['Bytes', { value: randomBytes(64).toString('base64'), type: 'Bytes' }],
    ['Object', { value: '{"amount":12}', type: 'Object', valueInfo: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' } }],
  ];

  it.each(roundTrips)('%s keeps its value and type through set then get', async (_type, variable) => {
    const name = `v${randomUUID().slice(0, 8)}`;
    const set = await gateway.http.put(`/process-instances/${instanceId}/variables/${name}`).send(variable).expect(200);
    expect(set.body).toEqual(variable);
    const read = await gateway.http.get(`/process-instances/${instanceId}/variables/${name}`).expect(200);
    expect(read.body).toEqual(variable);
  });

  it('Date keeps its instant in Camunda format, whatever the offset given', async () => {
    const read = await gateway.http
      .put(`/process-instances/${instanceId}/variables/due`)
      .send({ value: '2026-03-04T05:06:07.890+02:00', type: 'Date' })
      .expect(200);
    expect(read.body.type).toBe('Date');
    expect(read.body.value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    expect(Date.parse(read.body.value)).toBe(Date.parse('2026-03-04T05:06:07.890+02:00'));
  });

  it('infers the type of plain values', async () => {
    await gateway.http.put(`/process-instances/${instanceId}/variables/plainCount`).send({ value: 5 }).expect(200, { value: 5, type: 'Integer' });
    await gateway.http
      .put(`/process-instances/${instanceId}/variables/plainMap`)
      .send({ value: { a: 1 } })
      .expect(200, { value: { a: 1 }, type: 'Json' });
  });

  it('lists every variable typed', async () => {
    const list = await gateway.http.get(`/process-instances/${instanceId}/variables`).expect(200);
    expect(list.body.seed).toEqual({ value: 'x', type: 'String' });
  });

  it.each([
    [{ value: 40_000, type: 'Short' }, 'outside the Short range'],
    [{ value: 2 ** 31, type: 'Integer' }, 'outside the Integer range'],
    [{ value: 'tomorrow', type: 'Date' }, 'ISO 8601'],
  ])('refuses %j with 400 naming the variable', async (variable, reason) => {
    const response = await gateway.http.put(`/process-instances/${instanceId}/variables/bad`).send(variable).expect(400);
    expect(response.body).toMatchObject({ code: 'INVALID_VARIABLE', errors: [{ field: 'variables.bad' }] });
    expect(response.body.detail).toContain(reason);
  });

  it('refuses bad typed variables on start as well, before anything reaches the engine', async () => {
    const response = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', variables: { level: { value: 99_999, type: 'Short' } } })
      .expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'variables.level' })]);
  });

  it('uploads a File and downloads it byte for byte', async () => {
    const content = Buffer.concat([randomBytes(200_000), Buffer.from([0, 255, 0xfe, 0xff])]);
    const uploaded = await gateway.http
      .put(`/process-instances/${instanceId}/variables/scan/data`)
      .attach('data', content, { filename: 'scan.pdf', contentType: 'application/pdf' })
      .expect(200);
    expect(uploaded.body).toMatchObject({ type: 'File', value: null, valueInfo: { filename: 'scan.pdf', mimeType: 'application/pdf' } });

    const downloaded = await gateway.http.get(`/process-instances/${instanceId}/variables/scan/data`).buffer(true).parse(binaryParser).expect(200);
    expect(downloaded.headers['content-type']).toMatch(/^application\/pdf/);
    expect(downloaded.headers['content-disposition']).toContain('scan.pdf');
    expect(Buffer.compare(downloaded.body as Buffer, content)).toBe(0);
  });

  it('stores uploaded Bytes and returns the same bytes', async () => {
    const content = randomBytes(4096);
    await gateway.http.put(`/process-instances/${instanceId}/variables/blob/data`).field('valueType', 'Bytes').attach('data', content, 'blob.bin').expect(200);
    const read = await gateway.http.get(`/process-instances/${instanceId}/variables/blob`).expect(200);
    expect(read.body).toEqual({ value: content.toString('base64'), type: 'Bytes' });
    const downloaded = await gateway.http.get(`/process-instances/${instanceId}/variables/blob/data`).buffer(true).parse(binaryParser).expect(200);
    expect(Buffer.compare(downloaded.body as Buffer, content)).toBe(0);
  });

  it('an upload without a file part is a 400 naming the part', async () => {
    const response = await gateway.http.put(`/process-instances/${instanceId}/variables/scan/data`).field('valueType', 'File').expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'data' })]);
  });

  it('deletes variables', async () => {
    await gateway.http.put(`/process-instances/${instanceId}/variables/temporary`).send({ value: 1 }).expect(200);
    await gateway.http.delete(`/process-instances/${instanceId}/variables/temporary`).expect(204);
    await gateway.http.get(`/process-instances/${instanceId}/variables/temporary`).expect(404);
  });

  it('keeps task-local variables out of the process scope', async () => {
    await gateway.http.put(`/tasks/${taskId}/variables/note`).query({ local: true }).send({ value: 'only here' }).expect(200);
    await gateway.http.get(`/tasks/${taskId}/variables/note`).query({ local: true }).expect(200, { value: 'only here', type: 'String' });
    const processScope = await gateway.http.get(`/process-instances/${instanceId}/variables`).expect(200);
    expect(processScope.body).not.toHaveProperty('note');
    const seenByTask = await gateway.http.get(`/tasks/${taskId}/variables`).expect(200);
    expect(seenByTask.body).toMatchObject({ note: { value: 'only here' }, seed: { value: 'x' } });
  });

  it('unknown instances are 404', async () => {
    await gateway.http.get('/process-instances/00000000-0000-0000-0000-000000000000/variables').expect(404);
  });
});
