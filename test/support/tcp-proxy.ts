import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** The same service URL (credentials, path and all), reached through a proxy listening on this machine's `port`. */
export function throughLocalPort(url: string | URL, port: number): string {
  return Object.assign(new URL(url), { host: `127.0.0.1:${port}` }).toString();
}

/**
 * A TCP pass-through to a real server that the test can cut, restore or slow down: to the gateway, a cut proxy is
 * exactly an engine that went away (connection refused), without stopping the engine other tests share.
 */
export class TcpProxy {
  /** Latency added to every chunk the server sends back: a slow engine, while it is set. */
  delayMs = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get listeningPort(): number {
    return this.port;
  }

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      // Chunks keep their order: each waits for the one before it, then for the delay.
      let sent = Promise.resolve();
      upstream.on('data', (chunk: Buffer) => {
        const delay = this.delayMs;
        sent = sent
          .then(() => (delay > 0 ? new Promise<void>((resolve) => setTimeout(resolve, delay)) : undefined))
          .then(() => {
            if (!client.destroyed) client.write(chunk);
          });
      });
      upstream.on('end', () => void sent.then(() => client.end()));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = null;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
