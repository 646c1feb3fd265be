import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import { AppModule } from '../src/app.module.js';
import { configureHttpApp } from '../src/http-app.js';
import type { WorkerSettings } from '../src/workers/worker-api.js';
import { engineRest } from '../test/support/engine-rest.js';
import { eventually } from '../test/support/eventually.js';
import { testEnv } from '../test/support/test-env.js';
import { builtInWorkersOnly } from './own-tasks-only.js';

export interface BootedGateway {
  app: INestApplication;
  /** performance.now() just before app.init(): the workers start inside it, at bootstrap. */
  initStartedAt: number;
  initMs: number;
}

/**
 * The real AppModule, in this process as the e2e tests run it (test/support/gateway-app.ts), with extra modules
 * beside it (the bench's worker). The settings are those of startGateway; `env` overrides them. Built here rather
 * than through startGateway because the bench needs the moment init() begins and, with `ownProcessKeys`, the
 * gateway's own workers narrowed to the bench's tasks (bench/own-tasks-only.ts).
 */
export async function bootGateway(
  env: Record<string, string>,
  options: { modules?: Type[]; ownProcessKeys?: string[]; builtInSettings?: Partial<WorkerSettings> } = {},
): Promise<BootedGateway> {
  const settings: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: testEnv.databaseUrl,
    RABBITMQ_URL: testEnv.rabbitmqUrl,
    CAMUNDA_URL: testEnv.camundaUrl,
    CAMUNDA_USER: testEnv.camundaUser,
    CAMUNDA_PASSWORD: testEnv.camundaPassword,
    SYNC_INTERVAL_MS: '500',
    SYNC_OVERLAP_MS: '3000',
    // The bench deploys its own models; no reconcile in the middle of a measurement.
    DEPLOY_ON_STARTUP: 'false',
    SYNC_RECONCILE_CRON: '0 0 0 1 1 *',
    WORKER_LONG_POLL_MS: '2000',
    WORKER_MAX_TASKS: '10',
    OUTBOX_RELAY_INTERVAL_MS: '100',
    ...env,
  };
  const previous = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
  Object.assign(process.env, settings);
  try {
    const builder = Test.createTestingModule({ imports: [AppModule, ...(options.modules ?? [])] });
    if (options.ownProcessKeys) builtInWorkersOnly(builder, options.ownProcessKeys, options.builtInSettings);
    const moduleRef = await builder.compile();
    const app = configureHttpApp(moduleRef.createNestApplication({ logger: ['error', 'warn'] }));
    const initStartedAt = performance.now();
    await app.init();
    return { app, initStartedAt, initMs: performance.now() - initStartedAt };
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * Not measured: a gateway without workers brings the mirror up to date with the engine for `processKeys` (the first
 * time, by importing every open instance), publishes what it found, and stops. A measured gateway then boots on a
 * current mirror: it does a restart's work, not the catching up on what the bench's other sides did meanwhile.
 */
export async function settleMirror(env: Record<string, string>, processKeys: string[]): Promise<void> {
  await withMirroringGateway(env, async () => {
    const database = new pg.Client({ connectionString: testEnv.databaseUrl });
    await database.connect();
    try {
      await eventually(
        async () => {
          const {
            rows: [cursor],
          } = await database.query(`SELECT progress FROM sync_cursors WHERE name = 'import'`);
          if (cursor?.progress?.phase !== 'done') throw new Error(`import: ${cursor?.progress?.done ?? 0} instances so far`);
          for (const processKey of processKeys) {
            const { count: ended } = await engineRest<{ count: number }>(
              'GET',
              `/history/process-instance/count?processDefinitionKey=${processKey}&finished=true`,
            );
            const { count: running } = await engineRest<{ count: number }>(
              'GET',
              `/history/process-instance/count?processDefinitionKey=${processKey}&unfinished=true`,
            );
            const {
              rows: [mirror],
            } = await database.query(
              `SELECT (count(*) FILTER (WHERE ended_at IS NOT NULL))::int AS ended, (count(*) FILTER (WHERE ended_at IS NULL))::int AS running FROM process_instances WHERE definition_key = $1`,
              [processKey],
            );
            if (mirror.ended !== ended || mirror.running !== running)
              throw new Error(`${processKey}: mirror ${mirror.ended} ended, ${mirror.running} running; engine ${ended}, ${running}`);
          }
          const {
            rows: [outbox],
          } = await database.query(`SELECT count(*)::int AS pending FROM outbox_events WHERE published_at IS NULL`);
          if (outbox.pending > 0) throw new Error(`${outbox.pending} events not yet published`);
        },
        600_000,
        200,
      );
    } finally {
      await database.end();
    }
  });
}

/**
 * Runs `work` with a gateway beside it that has no workers but its sync on: it mirrors (and publishes) whatever the
 * engine does meanwhile, as the gateway of a deployment does for work that other clients complete.
 */
export async function withMirroringGateway<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const { app } = await bootGateway({ ...env, WORKERS_ENABLED: 'false' });
  try {
    return await work();
  } finally {
    await app.close();
  }
}
