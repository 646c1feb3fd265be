import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';
import { eventually } from './support/eventually.js';
import { freePort } from './support/gateway-process.js';
import { userToken } from './support/keycloak.js';
import { testEnv } from './support/test-env.js';

// The Dockerfile's image, built by scripts/container-image.sh (podman on a base made from debootstrap and the npm
// registry's node binary) and run the ways production runs it: the migrations, the API and the workers, each as its
// own container on the host's network against this run's PostgreSQL, RabbitMQ, engine and Keycloak.
const IMAGE = process.env.GATEWAY_IMAGE ?? 'localhost/camunda-gateway:dev';
const run = randomUUID().slice(0, 8);
const exec = promisify(execFile);
// The podman settings these machines need (scripts/container-image.sh write_containers_conf).
const podmanEnv = { ...process.env, CONTAINERS_CONF: '.run/containers.conf' };

async function podman(...args: string[]): Promise<string> {
  const { stdout } = await exec('podman', args, { env: podmanEnv, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** podman's exit code and output, for commands whose failure is the finding. */
async function podmanResult(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await exec('podman', args, { env: podmanEnv });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

async function adminQuery(sql: string, databaseUrl = testEnv.databaseUrl): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

// Fixed, not random: a run that dies before its teardown leaves one database, which the next run drops.
const database = `${new URL(testEnv.databaseUrl).pathname.slice(1)}_image`;
const databaseUrl = Object.assign(new URL(testEnv.databaseUrl), { pathname: `/${database}` }).toString();
const gatewayEnv = {
  DATABASE_URL: databaseUrl,
  RABBITMQ_URL: testEnv.rabbitmqUrl,
  EVENTS_EXCHANGE: testEnv.eventsExchange,
  CAMUNDA_URL: testEnv.camundaUrl,
  CAMUNDA_USER: testEnv.camundaUser,
  CAMUNDA_PASSWORD: testEnv.camundaPassword,
  AUTH_ISSUER: `${testEnv.keycloakUrl}/realms/${testEnv.keycloakRealm}`,
  LOG_LEVEL: 'warn',
};
const envArgs = (env: Record<string, string>) => Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
const started: string[] = [];

/**
 * A detached container on the host's network. No health timer: podman runs those through systemd, which these
 * machines lack; `podman healthcheck run` runs the image's HEALTHCHECK on demand.
 */
async function startContainer(role: string, env: Record<string, string>): Promise<string> {
  const name = `camunda-gateway-${role}-${run}`;
  await podman('run', '--detach', '--name', name, '--network', 'host', '--health-interval', 'disable', ...envArgs({ ...gatewayEnv, ...env }), IMAGE);
  started.push(name);
  return name;
}

async function untilAnswers(name: string, url: string, headers: Record<string, string> = {}): Promise<Response> {
  return eventually(
    async () => {
      if ((await podman('inspect', '--format', '{{.State.Running}}', name)) !== 'true') {
        throw new Error(`${name} exited:\n${await podman('logs', name)}`);
      }
      const response = await fetch(url, { headers });
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      return response;
    },
    60_000,
    250,
  );
}

describe('the container image', () => {
  beforeAll(async () => {
    // Idempotent and cached: the base comes from ~/.cache/camunda-gateway, the build stages from podman's layers.
    await exec('bash', ['scripts/container-image.sh', 'build'], { maxBuffer: 64 * 1024 * 1024 });
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${database}`);
  }, 20 * 60_000);

  afterAll(async () => {
    for (const name of started) await podman('rm', '--force', '--time', '10', name);
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }, 60_000);

  it('runs as an unprivileged user that cannot write the application, without devDependencies or sources', async () => {
    expect(await podman('image', 'inspect', '--format', '{{.Config.User}}', IMAGE)).toBe('node');
    expect(await podman('run', '--rm', IMAGE, 'id', '-u')).toBe('1000');
    expect((await podmanResult('run', '--rm', IMAGE, 'touch', '/app/dist/src/main.js')).code).not.toBe(0);

    // What npm ci --omit=dev installs at the top of node_modules, by the lockfile's own dev flags.
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const topLevel = Object.entries(lock.packages).filter(([path]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path));
    const names = (dev: boolean) => topLevel.filter(([, entry]) => (entry.dev === true) === dev).map(([path]) => path.slice('node_modules/'.length));
    expect(names(true)).toEqual(expect.arrayContaining(['jest', 'ts-jest', '@nestjs/cli', 'eslint', 'prettier', 'testcontainers']));
    const installed = (await podman('run', '--rm', IMAGE, 'sh', '-c', 'cd node_modules && ls -d [!@.]* @*/*')).split('\n');
    expect(installed.filter((name) => names(true).includes(name))).toEqual([]);
    expect(installed.sort()).toEqual(names(false).sort());

    expect(await podman('run', '--rm', IMAGE, 'ls', '/app')).toBe(['bpmn', 'dist', 'node_modules', 'package.json'].join('\n'));
    expect(await podman('run', '--rm', IMAGE, 'find', '/app', '-path', '/app/node_modules', '-prune', '-o', '-name', '*.ts', '-print')).toBe('');
    expect(await podman('run', '--rm', IMAGE, 'ls', 'dist/src/main.js')).toBe('dist/src/main.js');
  });

  it('runs the migrations against a fresh database, then the API answers liveness, readiness and its HEALTHCHECK', async () => {
    await podman(
      'run',
      '--rm',
      '--network',
      'host',
      ...envArgs(gatewayEnv),
      IMAGE,
      'node',
      'node_modules/typeorm/cli.js',
      'migration:run',
      '-d',
      'dist/src/database/data-source.js',
    );
    const applied = (await adminQuery('SELECT name FROM schema_migrations', databaseUrl)).rows;
    expect(applied).toHaveLength(readdirSync('migrations').filter((file) => file.endsWith('.ts')).length);

    const port = await freePort();
    const api = await startContainer('api', { GATEWAY_ROLE: 'api', PORT: String(port) });
    await untilAnswers(api, `http://127.0.0.1:${port}/health/live`);
    await untilAnswers(api, `http://127.0.0.1:${port}/health/ready`);
    expect((await podmanResult('healthcheck', 'run', api)).code).toBe(0);
    // Behind the image's own authentication: a token of the realm's admin lists the engine's definitions.
    const definitions = await fetch(`http://127.0.0.1:${port}/process-definitions`, { headers: { Authorization: `Bearer ${await userToken('root')}` } });
    expect(definitions.status).toBe(200);
    expect(await fetch(`http://127.0.0.1:${port}/process-definitions`).then((response) => response.status)).toBe(401);

    // As PID 1 the gateway still shuts down on SIGTERM (its own handlers), well before podman's kill.
    await podman('stop', '--time', '30', api);
    expect(await podman('inspect', '--format', '{{.State.ExitCode}}', api)).toBe('0');
    expect((await podmanResult('healthcheck', 'run', api)).code).not.toBe(0);
  });

  it('GATEWAY_ROLE=worker starts the workers and reports their topics in /health', async () => {
    const port = await freePort();
    // A short long poll: the worker shares the engine with other runs and must not hold their tasks' fetches long.
    const worker = await startContainer('worker', {
      GATEWAY_ROLE: 'worker',
      WORKERS_ENABLED: 'true',
      WORKER_LONG_POLL_MS: '1000',
      WORKER_DRAIN_TIMEOUT_MS: '2000',
      PORT: String(port),
    });
    const health = (await (await untilAnswers(worker, `http://127.0.0.1:${port}/health`, { Authorization: `Bearer ${await userToken('root')}` })).json()) as {
      details: { workers: { topics: { topic: string; fetching: boolean }[] } };
    };
    expect(health.details.workers.topics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ topic: 'gateway.publish', fetching: true }),
        expect.objectContaining({ topic: 'ticket-processing', fetching: true }),
      ]),
    );
    expect(await fetch(`http://127.0.0.1:${port}/process-definitions`).then((response) => response.status)).toBe(404);
    await podman('stop', '--time', '30', worker);
    expect(await podman('inspect', '--format', '{{.State.ExitCode}}', worker)).toBe('0');
  });
});
