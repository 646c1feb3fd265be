import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { EventCollector, type ReceivedEvent } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { GatewayProcess } from './support/gateway-process.js';
import { userToken } from './support/keycloak.js';

// OTLP/JSON's span kinds.
const SERVER = 2;
const CLIENT = 3;

interface ExportedSpan {
  scope: string;
  service: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpTraces {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { scope?: { name?: string }; spans?: (Omit<ExportedSpan, 'scope' | 'service' | 'attributes'> & { attributes?: OtlpAttribute[] })[] }[];
  }[];
}

const attributesOf = (list: OtlpAttribute[] = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, value.stringValue ?? value.intValue ?? value.boolValue ?? value.doubleValue]));

/** A collector in the test: takes what the gateway's OTLP/HTTP JSON exporter posts to /v1/traces. */
class OtlpReceiver {
  readonly spans: ExportedSpan[] = [];
  /** Method, path and media type of every export. */
  readonly requests: string[] = [];
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.requests.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
      this.take(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  static async start(): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  private take(body: OtlpTraces): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
      for (const scopeSpans of resourceSpans.scopeSpans ?? [])
        for (const span of scopeSpans.spans ?? [])
          this.spans.push({ ...span, scope: scopeSpans.scope?.name ?? '', service, attributes: attributesOf(span.attributes) });
    }
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  inTrace(traceId: string): ExportedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}

async function startTicket(gateway: GatewayProcess, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${gateway.url}/process-instances`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await userToken('alice')}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ processDefinitionKey: 'ticket-approval', businessKey: `TRACE-${randomUUID()}`, variables: { title: 'Traced' } }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe('OpenTelemetry traces: HTTP → engine → PostgreSQL → RabbitMQ (built gateway, OTLP/HTTP JSON)', () => {
  let receiver: OtlpReceiver;
  let events: EventCollector;
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    events = await EventCollector.bind();
  });

  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
  });

  afterAll(async () => {
    await events?.close();
    await receiver?.close();
  });

  function startedEventOf(instanceId: string): Promise<ReceivedEvent> {
    return eventually(() => {
      const started = events.forInstance(instanceId).find((event) => event.routingKey === 'process.started');
      expect(started).toBeDefined();
      return started!;
    }, 20_000);
  }

  it('traced on: one trace holds the route span, the engine call, the SQL, and the published event carries it', async () => {
    gateway = await GatewayProcess.start({
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_SERVICE_NAME: 'gateway-under-trace',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    // The caller's own trace, so the test knows its id, and sees that an upstream trace is continued, not restarted.
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const instanceId = await startTicket(gateway, { traceparent: `00-${traceId}-${callerSpanId}-01` });

    const spans = await eventually(() => {
      const inTrace = receiver.inTrace(traceId);
      expect(inTrace.find((span) => span.kind === SERVER)).toBeDefined();
      expect(inTrace.find((span) => span.kind === CLIENT && String(span.attributes['url.full']).includes('/start'))).toBeDefined();
      expect(inTrace.some((span) => span.name.startsWith('pg.query'))).toBe(true);
      return inTrace;
    }, 20_000);
    const server = spans.find((span) => span.kind === SERVER)!;
    expect(server).toMatchObject({ name: 'POST /process-instances', parentSpanId: callerSpanId, service: 'gateway-under-trace' });
    expect(server.attributes).toMatchObject({ 'http.route': '/process-instances', 'http.response.status_code': 201 });
    const engineStart = spans.find((span) => span.kind === CLIENT && String(span.attributes['url.full']).includes('/start'))!;
    expect(engineStart.scope).toBe('@opentelemetry/instrumentation-http');
    expect(String(engineStart.attributes['url.full'])).toMatch(/\/engine-rest\/process-definition\/key\/ticket-approval\/(tenant-id\/[^/]+\/)?start$/);
    // Credentials stay out of what is exported: the engine's Basic auth and the broker's password.
    expect(JSON.stringify(receiver.spans)).not.toMatch(/demo:demo|guest:guest/);
    // Every exported span of this trace hangs off the tree the caller's span started: none is an orphan.
    const ids = new Set([callerSpanId, ...spans.map((span) => span.spanId)]);
    expect(spans.filter((span) => !ids.has(span.parentSpanId))).toEqual([]);
    expect(receiver.requests.every((request) => request.startsWith('POST /v1/traces application/json'))).toBe(true);

    const started = await startedEventOf(instanceId);
    const traceparent = String(started.headers.traceparent);
    expect(traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    // The consumer's parent is a span of this trace the gateway exported (the request's, or the publish span under it).
    await eventually(() => expect(receiver.inTrace(traceId).map((span) => span.spanId)).toContain(traceparent.split('-')[2]), 20_000);
  });

  it('traced off (the default): no traceparent on the events and nothing exported', async () => {
    const exportedBefore = receiver.spans.length;
    // OTEL_TRACES_EXPORTER left unset (empty counts as unset); the endpoint is there, so only the default keeps it off.
    gateway = await GatewayProcess.start({ OTEL_TRACES_EXPORTER: '', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' });
    const traceId = randomBytes(16).toString('hex');
    const instanceId = await startTicket(gateway, { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` });

    const started = await startedEventOf(instanceId);
    expect(started.headers).not.toHaveProperty('traceparent');
    expect(started.headers).not.toHaveProperty('tracestate');
    // A gateway that traced would export what it still holds when it stops (TracingShutdown); this one sends nothing.
    await gateway.stop();
    gateway = undefined;
    expect(receiver.spans.length).toBe(exportedBefore);
  });
});
