import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { eventually } from './eventually.js';
import { userToken } from './keycloak.js';
import { testEnv } from './test-env.js';

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The built gateway (dist/, made by test:all) as its own OS process, so a test can kill it like a crash would. */
export class GatewayProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(env: Record<string, string> = {}): Promise<GatewayProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATABASE_URL: testEnv.databaseUrl,
        RABBITMQ_URL: testEnv.rabbitmqUrl,
        EVENTS_EXCHANGE: testEnv.eventsExchange,
        CAMUNDA_URL: testEnv.camundaUrl,
        CAMUNDA_USER: testEnv.camundaUser,
        CAMUNDA_PASSWORD: testEnv.camundaPassword,
        OUTBOX_RELAY_INTERVAL_MS: '100',
        WORKERS_ENABLED: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const gateway = new GatewayProcess(child, `http://127.0.0.1:${port}`);
    let exitedEarly: ((error: Error) => void) | undefined;
    const earlyExit = new Promise<never>((_, reject) => (exitedEarly = reject));
    const onExit = (code: number | null) => exitedEarly?.(new Error(`gateway exited with ${code}:\n${gateway.output}`));
    child.once('exit', onExit);
    try {
      await Promise.race([
        earlyExit,
        eventually(
          async () => {
            const response = await fetch(`${gateway.url}/health/live`);
            if (!response.ok) throw new Error(`health/live answered ${response.status}`);
          },
          30_000,
          100,
        ),
      ]);
    } finally {
      child.off('exit', onExit);
    }
    return gateway;
  }

  /** Every line the process wrote to stdout and stderr so far. */
  get logLines(): string[] {
    return this.output.split('\n').filter((line) => line.trim() !== '');
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** A GET as the realm's admin user. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the body it expects
  async get<T>(path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url}${path}`, { headers: { Authorization: `Bearer ${await userToken('root')}` } });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Resolves with the exit code and everything printed once the process ends by itself; rejects after `ms`. */
  async exited(ms: number): Promise<{ code: number | null; output: string }> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`gateway still running after ${ms} ms:\n${this.output}`)), ms);
        this.child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return { code: this.child.exitCode, output: this.output };
  }

  /** SIGKILL: no shutdown hooks, transactions cut wherever they were. */
  async kill(): Promise<void> {
    await this.exit('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.exit('SIGTERM');
  }

  private async exit(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}
