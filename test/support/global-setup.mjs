// Runs once per e2e run, outside jest's module system (plain ESM, no TypeScript imports).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';

// A safety net only: the import waits on its own completion, and no engine of a test machine needs this long.
const IMPORT_DEADLINE_MS = 20 * 60_000;
const CAMUNDA_IMAGE = 'camunda/camunda-bpm-platform:run-7.24.0';

function dockerAvailable() {
  if (process.env.TESTCONTAINERS === 'false') return false;
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

/**
 * Where a Docker engine runs (a developer laptop), PostgreSQL, RabbitMQ and Camunda run in containers and the
 * tests are pointed at them. Without Docker (our machines, CI) the tests use the local services as configured.
 */
async function startContainers() {
  const { GenericContainer, Wait } = await import('testcontainers');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
  const [postgres, rabbit, camunda] = await Promise.all([
    new PostgreSqlContainer('postgres:15').withDatabase('camunda_gateway_test').start(),
    new RabbitMQContainer('rabbitmq:3.13-management').start(),
    // Auth on, as in deploy/engine, so the gateway's engine credentials are really used.
    new GenericContainer(CAMUNDA_IMAGE)
      .withEnvironment({ CAMUNDA_BPM_RUN_AUTH_ENABLED: 'true' })
      .withExposedPorts(8080)
      .withWaitStrategy(Wait.forHttp('/engine-rest/engine', 8080).forStatusCode(200))
      .withStartupTimeout(180_000)
      .start(),
  ]);
  globalThis.__gatewayContainers = [postgres, rabbit, camunda];
  process.env.TEST_DATABASE_URL = postgres.getConnectionUri();
  process.env.RABBITMQ_URL = rabbit.getAmqpUrl();
  process.env.CAMUNDA_URL = `http://${camunda.getHost()}:${camunda.getMappedPort(8080)}/engine-rest`;
}

async function recreateDatabase(databaseUrl) {
  const url = new URL(databaseUrl);
  const database = url.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output.slice(-2000)}`))));
  });
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A real engine holds whatever earlier runs and other users left in it. The fresh test mirror imports all of
 * it on the first poll, however long that takes; doing it here, once, with the built gateway, keeps every test's
 * own budget about its own work instead of about how full the engine happens to be.
 */
async function importEngineIntoTestMirror(databaseUrl, camundaUrl) {
  if (!existsSync('dist/src/main.js')) throw new Error('dist/ is missing: run the suite with npm run test:all, which builds the gateway first');
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    CAMUNDA_URL: camundaUrl,
    RABBITMQ_URL: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    WORKERS_ENABLED: 'false',
    SYNC_INTERVAL_MS: '500',
    EVENTS_EXCHANGE: process.env.TEST_EVENTS_EXCHANGE,
  };
  await run('node_modules/typeorm/cli.js', ['migration:run', '-d', 'dist/src/database/data-source.js'], env);
  const started = Date.now();
  const gateway = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, ...env, PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = null;
  gateway.stdout.on('data', (chunk) => (output += chunk));
  gateway.stderr.on('data', (chunk) => (output += chunk));
  gateway.on('exit', (code) => (exited = code));
  const database = new pg.Client({ connectionString: databaseUrl });
  await database.connect();
  const query = (sql) =>
    database.query(sql).then(
      (result) => result.rows,
      () => [],
    );
  let lastReport = started;
  try {
    // Imported once the first poll succeeded and the import it began is done, settled once its events are published.
    for (;;) {
      if (exited !== null) throw new Error(`The gateway importing the engine into the test mirror exited ${exited}:\n${output.slice(-2000)}`);
      const [cursor] = await query("SELECT position, last_error FROM sync_cursors WHERE name = 'engine-changes'");
      const [instanceImport] = await query("SELECT progress->>'phase' AS phase FROM sync_cursors WHERE name = 'import'");
      const imported = cursor?.position && instanceImport?.phase === 'done';
      const [outbox] = imported ? await query('SELECT count(*)::int AS pending FROM outbox_events WHERE published_at IS NULL') : [];
      if (imported && outbox?.pending === 0) break;
      if (Date.now() - started > IMPORT_DEADLINE_MS)
        throw new Error(
          `The test mirror's initial import did not finish in ${IMPORT_DEADLINE_MS / 60_000} min; last poll error: ${cursor?.last_error ?? 'none'}`,
        );
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        const [mirrored] = await query('SELECT count(*)::int AS instances FROM process_instances');
        console.log(`Test mirror: ${mirrored?.instances ?? 0} instances imported so far${cursor?.last_error ? `; last poll error: ${cursor.last_error}` : ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const [mirrored] = await query('SELECT count(*)::int AS instances FROM process_instances');
    console.log(`\nTest mirror: imported ${mirrored?.instances} instances from the engine in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await database.end();
    await stop(gateway, () => exited !== null);
  }
}

/** SIGTERM, and SIGKILL if the gateway has not let go within 15 s. */
async function stop(child, hasExited) {
  if (hasExited()) return;
  const exit = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exit;
  clearTimeout(killer);
}

export default async function globalSetup() {
  if (dockerAvailable()) await startContainers();
  // Gateways of other runs, other developers or a quick start may share this broker and engine: this run's events stay its own.
  process.env.TEST_EVENTS_EXCHANGE ??= `camunda.events.test-${randomUUID().slice(0, 8)}`;
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/camunda_gateway_test';
  await recreateDatabase(databaseUrl);
  const camundaUrl = process.env.CAMUNDA_URL ?? 'http://localhost:8080/engine-rest';
  const engine = await fetch(`${camundaUrl}/engine`).catch(() => null);
  if (!engine?.ok) throw new Error(`No Camunda engine answers at ${camundaUrl}; run the suite with npm run test:all`);
  await importEngineIntoTestMirror(databaseUrl, camundaUrl);
}
