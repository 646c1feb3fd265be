// Runs once per e2e run, outside jest's module system (plain ESM, no TypeScript imports).
import { existsSync } from 'node:fs';
import pg from 'pg';

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

export default async function globalSetup() {
  if (dockerAvailable()) await startContainers();
  else await recreateDatabase(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/camunda_gateway_test');
  const camundaUrl = process.env.CAMUNDA_URL ?? 'http://localhost:8080/engine-rest';
  const engine = await fetch(`${camundaUrl}/engine`).catch(() => null);
  if (!engine?.ok) throw new Error(`No Camunda engine answers at ${camundaUrl}; run the suite with npm run test:all`);
}
