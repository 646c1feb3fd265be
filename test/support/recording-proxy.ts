import { createServer, request as forward, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RecordedRequest {
  method: string;
  /** Path below the engine-rest base, e.g. `/task/123/claim`. */
  path: string;
  query: URLSearchParams;
  contentType: string | undefined;
  body: Buffer;
}

/**
 * An HTTP pass-through to the real engine that records every request the gateway sends it. `beforeAnswer`, when
 * set, runs once the engine has answered a request and before the gateway sees the answer: the place to make
 * something happen exactly between "the engine did it" and "the gateway knows".
 */
export class RecordingProxy {
  readonly requests: RecordedRequest[] = [];
  beforeAnswer: ((request: RecordedRequest, status: number) => Promise<void> | void) | null = null;
  /** Runs before a request is forwarded: the place to make something happen just before the engine sees it. */
  beforeForward: ((request: RecordedRequest) => Promise<void> | void) | null = null;
  /** When set, requests it answers for are not forwarded: an engine that misbehaves on cue. */
  fault: ((request: RecordedRequest) => { status: number; body: unknown } | undefined) | null = null;
  private server: Server | null = null;
  private port = 0;

  constructor(private readonly engineBaseUrl: URL) {}

  /** The engine-rest base URL to give the gateway. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${this.engineBaseUrl.pathname}`;
  }

  async start(): Promise<void> {
    const base = this.engineBaseUrl.pathname.replace(/\/+$/, '');
    this.server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const body = Buffer.concat(chunks);
        const url = new URL(incoming.url ?? '/', 'http://proxy');
        const recorded: RecordedRequest = {
          method: incoming.method ?? 'GET',
          path: url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname,
          query: url.searchParams,
          contentType: incoming.headers['content-type'],
          body,
        };
        this.requests.push(recorded);
        const injected = this.fault?.(recorded);
        if (injected) {
          outgoing.writeHead(injected.status, { 'content-type': 'application/json' });
          outgoing.end(JSON.stringify(injected.body));
          return;
        }
        void Promise.resolve(this.beforeForward?.(recorded)).finally(() => this.forward(incoming, outgoing, recorded, body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  private forward(incoming: IncomingMessage, outgoing: ServerResponse, recorded: RecordedRequest, body: Buffer): void {
    const upstream = forward(
      { host: this.engineBaseUrl.hostname, port: this.engineBaseUrl.port || 80, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        void Promise.resolve(this.beforeAnswer?.(recorded, answer.statusCode ?? 502)).finally(() => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        });
      },
    );
    upstream.on('error', () => outgoing.destroy());
    upstream.end(body);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
