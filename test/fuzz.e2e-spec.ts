import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { OpenApiFuzzer, seededRandom, type FuzzRequest, type OpenApiDocument } from './support/openapi-fuzzer.js';
import { testEnv } from './support/test-env.js';

// Bounded for CI; FUZZ_REQUESTS_PER_OPERATION=200 (or more) for a long run, FUZZ_SEED to replay one.
const PER_OPERATION = Number(process.env.FUZZ_REQUESTS_PER_OPERATION ?? 12);
// A fixed seed by default, so CI fuzzes the same requests every run; other seeds for exploring.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
const LEAKS = [
  /at \w+ \(|node_modules|\.ts:\d+/,
  /org\.camunda|\bjava\.[\w.$]*(Exception|Error)\b|\w+Exception\b/,
  /QueryFailedError|duplicate key|SQLSTATE|syntax error at/,
];

function problemCode(text: string): unknown {
  try {
    return (JSON.parse(text) as { code?: unknown }).code;
  } catch {
    return undefined;
  }
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Hostile values in every path, query and body parameter of every operation of the gateway's own OpenAPI
 * document. While the services are up: never a 5xx, every error a problem+json with a code and nothing internal,
 * and afterwards the instance it aimed at is still there with its variables, and sync reports no error.
 */
describe(`OpenAPI-driven fuzz (seed ${SEED}, ${PER_OPERATION} requests per operation)`, () => {
  let gateway: RunningGateway;
  let instanceId: string;
  let taskId: string;
  let definitionId: string;
  let deploymentId: string;
  const businessKey = `FUZZ-${randomUUID()}`;
  const secrets = [testEnv.camundaPassword, Buffer.from(`${testEnv.camundaUser}:${testEnv.camundaPassword}`).toString('base64')].filter(
    (secret) => secret.length >= 4,
  );

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
    const started = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', businessKey, variables: { title: 'fuzzed', amount: 3 } })
      .expect(201);
    instanceId = started.body.id;
    taskId = (await gateway.http.get('/tasks').query({ processInstanceId: instanceId }).expect(200)).body.items[0].id;
    const definition = (await gateway.http.get('/process-definitions/key/ticket-approval').expect(200)).body;
    definitionId = definition.id;
    deploymentId = definition.deploymentId;
  });

  /** What the fuzz may aim at: its own instance and task for anything refused; shared definitions only for reads. */
  function ownedId(path: string, parameter: string, method: string): string | null {
    if (parameter === 'name') return 'title';
    if (path.startsWith('/tasks')) return taskId;
    if (path.startsWith('/process-instances')) return instanceId;
    if (method !== 'GET') return null;
    if (path.startsWith('/process-definitions/key')) return 'ticket-approval';
    if (path.startsWith('/process-definitions')) return definitionId;
    if (path.startsWith('/deployments')) return deploymentId;
    return null;
  }

  afterAll(async () => {
    await gateway?.close();
    if (instanceId) await engineRest('DELETE', `/process-instance/${instanceId}`).catch(() => undefined);
  });

  async function send(request: FuzzRequest): Promise<Answer> {
    let call = gateway.http[request.method.toLowerCase() as 'get'](request.path);
    if (request.multipart) {
      for (const [name, value] of Object.entries(request.multipart.fields)) call = call.field(name, value);
      for (const file of request.multipart.files) call = call.attach(file.field, file.content, file.name);
    } else if (request.body !== undefined) {
      // supertest would pick a media type itself; the fuzz decides which one is sent.
      call = call.set('Content-Type', request.contentType ?? 'application/octet-stream').send(request.body);
    }
    const response = await call.buffer(true).parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    });
    return { status: response.status, contentType: String(response.headers['content-type'] ?? ''), text: response.body as string };
  }

  function violations(request: FuzzRequest, answer: Answer): string[] {
    const found: string[] = [];
    if (answer.status >= 500) found.push(`answered ${answer.status}`);
    if (request.mustRefuse && answer.status < 400) found.push(`accepted (${answer.status}) what must be refused`);
    if (answer.status >= 400) {
      if (!answer.contentType.startsWith('application/problem+json')) found.push(`error as ${answer.contentType || 'no content type'}`);
      else if (typeof problemCode(answer.text) !== 'string') found.push('problem without a code');
      for (const leak of LEAKS) if (leak.test(answer.text)) found.push(`leaks ${leak}`);
    }
    for (const secret of secrets) if (answer.text.includes(secret)) found.push('leaks a credential');
    return found;
  }

  it('answers every hostile request with a 4xx problem (or a success), never a 5xx or an internal detail', async () => {
    const document = (await gateway.http.get('/docs-json').expect(200)).body as OpenApiDocument;
    const fuzzer = new OpenApiFuzzer(document, { idFor: ownedId }, seededRandom(SEED));
    await fuzzer.calibrate(send);
    const operations = fuzzer.operations();
    expect(operations.length).toBeGreaterThan(50);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    for (const { method, path, operation } of operations) {
      for (const request of fuzzer.requestsFor(method, path, operation, PER_OPERATION)) {
        const answer = await send(request);
        sent += 1;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        for (const violation of violations(request, answer))
          failures.push(`${method} ${path} [${request.mutation}] ${violation}: ${answer.text.slice(0, 200)}`);
      }
    }
    expect(sent).toBe(operations.length * PER_OPERATION);
    // The fuzz must get past validation too, or it only tests the validator.
    const succeeded = [...statuses].filter(([status]) => status < 300).reduce((sum, [, count]) => sum + count, 0);
    expect(succeeded).toBeGreaterThan(sent / 20);
    if (process.env.FUZZ_REPORT) console.log(`fuzz statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect([...new Set(failures)]).toEqual([]);
  }, 600_000);

  it('left the instance it aimed at running, with its task and variables', async () => {
    await expect(engineRest('GET', `/process-instance/${instanceId}`)).resolves.toMatchObject({ id: instanceId, suspended: false });
    await expect(engineRest('GET', `/task/${taskId}`)).resolves.toMatchObject({ id: taskId, assignee: null });
    const variables = await engineRest<Record<string, { value: unknown }>>('GET', `/process-instance/${instanceId}/variables`);
    expect(variables).toMatchObject({ title: { value: 'fuzzed' }, amount: { value: 3 } });
    const mirrored = await gateway.http.get(`/process-instances/${instanceId}`).expect(200);
    expect(mirrored.body).toMatchObject({ id: instanceId, state: 'ACTIVE', businessKey });
  });

  it('left sync without an error', async () => {
    await gateway.http.post('/sync/run').expect(200);
    await eventually(async () => {
      const status = await gateway.http.get('/sync/status').expect(200);
      const poll = status.body.cursors.find((cursor: { name: string }) => cursor.name === 'engine-changes');
      expect(poll?.lastError).toBeNull();
    }, 10_000);
  });
});
