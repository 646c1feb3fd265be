import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP pass-through to a real server whose current connections can be made to go silent: what the client sends
 * still arrives, but nothing comes back. To an AMQP client that is a broker that takes messages and never
 * confirms them. Connections opened after stall() pass through normally again.
 */
export class StallingProxy {
  private server: Server | null = null;
  private readonly connections = new Set<{ client: Socket; upstream: Socket; silent: boolean }>();

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get port(): number {
    return (this.server?.address() as { port: number } | null)?.port ?? 0;
  }

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      const connection = { client, upstream, silent: false };
      this.connections.add(connection);
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (!connection.silent) client.write(chunk);
      });
      for (const socket of [client, upstream]) {
        socket.on('error', () => socket.destroy());
        socket.on('close', () => {
          client.destroy();
          upstream.destroy();
          this.connections.delete(connection);
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
  }

  /** From now on, nothing the server sends on the open connections reaches the client. */
  stall(): void {
    for (const connection of this.connections) connection.silent = true;
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.connections) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}
