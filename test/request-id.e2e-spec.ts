import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { EventCollector, type ReceivedEvent } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { GatewayProcess } from './support/gateway-process.js';
import { userToken } from './support/keycloak.js';
import { testEnv } from './support/test-env.js';

interface LogRecord {
  timestamp: string;
  level: string;
  context?: string;
  requestId?: string;
  message: unknown;
}

/**
 * The request id from the caller's X-Request-Id to the problem it got, the gateway's log lines (JSON, the built
 * gateway as it ships) and the events its command caused; changes made elsewhere carry none.
 */
describe('request ids in answers, JSON logs and events (real engine, broker, built gateway)', () => {
  const run = randomUUID().slice(0, 8);
  let gateway: GatewayProcess;
  let events: EventCollector;
  let token: string;

  beforeAll(async () => {
    events = await EventCollector.bind();
    // debug: the 4xx problems are logged there; the default format (JSON) is what is tested.
    gateway = await GatewayProcess.start({ LOG_LEVEL: 'debug' });
    token = await userToken('root');
  });

  afterAll(async () => {
    await gateway?.stop();
    await events?.close();
  });

  const call = (method: string, path: string, requestId: string, body?: unknown) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': requestId, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function startTicket(requestId: string): Promise<string> {
    const response = await call('POST', '/process-instances', requestId, {
      processDefinitionKey: 'ticket-approval',
      businessKey: `REQ-${run}-${requestId}`,
      variables: { title: 'Laptop broken' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    return ((await response.json()) as { id: string }).id;
  }

  const eventsOf = (id: string, types: string[]) =>
    eventually(() => {
      const mine = events.forInstance(id);
      expect(mine.map((event) => event.routingKey)).toEqual(types);
      return mine;
    }, 15_000);

  function expectCausedBy(received: ReceivedEvent[], requestId: string | null): void {
    for (const event of received) {
      expect(event.body.requestId).toBe(requestId);
      if (requestId === null) expect(event.headers).not.toHaveProperty('x-request-id');
      else expect(event.headers['x-request-id']).toBe(requestId);
      // No OpenTelemetry SDK in this process: no trace to continue, so no traceparent header.
      expect(event.headers).not.toHaveProperty('traceparent');
    }
  }

  const records = (): LogRecord[] => gateway.logLines.map((line) => JSON.parse(line) as LogRecord);

  it("puts a command's request id in the envelope and the x-request-id header of the events it caused", async () => {
    const requestId = `start-${run}`;
    const id = await startTicket(requestId);
    expectCausedBy(await eventsOf(id, ['process.started', 'task.created']), requestId);
    expect(events.schemaViolations()).toEqual([]);
  });

  it('gives each of several concurrent starts its own request id, whichever batch their refreshes shared', async () => {
    const requestIds = Array.from({ length: 8 }, (_, index) => `burst-${run}-${index}`);
    const ids = await Promise.all(requestIds.map((requestId) => startTicket(requestId)));
    for (const [index, id] of ids.entries()) expectCausedBy(await eventsOf(id, ['process.started', 'task.created']), requestIds[index]);
  });

  it('a change made elsewhere (a Tasklist completion on engine-rest) has no request id', async () => {
    const id = await startTicket(`elsewhere-${run}`);
    await eventsOf(id, ['process.started', 'task.created']);
    const [task] = await engineRest<{ id: string }[]>('GET', `/task?processInstanceId=${id}`);
    await engineRest('POST', `/task/${task.id}/complete`, { variables: { approved: { value: false, type: 'Boolean' } } });
    const received = await eventsOf(id, ['process.started', 'task.created', 'task.completed', 'process.completed']);
    expectCausedBy(received.slice(2), null);
    expect(events.schemaViolations()).toEqual([]);
  });

  it("answers a problem with the request's id, the same as the header and the log line about it", async () => {
    const requestId = `problem-${run}`;
    const response = await call('GET', `/process-instances/missing-${run}`, requestId);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const problem = (await response.json()) as { requestId: string; code: string };
    expect(problem.requestId).toBe(requestId);
    const logged = await eventually(() => {
      const mine = records().filter((record) => record.requestId === requestId);
      expect(mine).toHaveLength(1);
      return mine[0];
    });
    expect(logged).toMatchObject({ level: 'debug', context: 'Problems' });
    expect(logged.message).toContain(`-> 404 ${problem.code}`);
  });

  it('logs every line as one JSON object, with no token or password in any of them', () => {
    const lines = records();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(new Date(line.timestamp).toISOString()).toBe(line.timestamp);
      expect(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).toContain(line.level);
      expect(line).toHaveProperty('message');
    }
    // Lines logged outside any request carry no request id (boot, the relay, the poll).
    expect(lines.some((line) => line.context === 'RoutesResolver' && line.requestId === undefined)).toBe(true);
    const output = gateway.logLines.join('\n');
    expect(output).not.toContain(token);
    expect(output).not.toContain(new URL(testEnv.rabbitmqUrl).password + '@');
    expect(output).not.toContain(`:${testEnv.camundaPassword}@`);
    expect(output).not.toContain(Buffer.from(`${testEnv.camundaUser}:${testEnv.camundaPassword}`).toString('base64'));
  });
});
