import { ConsoleLogger, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { configureHttpApp } from '../../src/http-app.js';
import { migrateTestDatabase } from './migrate-test-database.js';
import { testEnv } from './test-env.js';
import { bearer, httpWith, type HttpClient } from './bearer-http.js';
import { userToken } from './keycloak.js';
import type { Server } from 'node:http';

/** The realm user the suite acts as unless a test says otherwise. */
export const ADMIN_USER = 'root';

/** Collects every line the app logs, for tests about what must never be logged. */
export class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];

  protected override printMessages(messages: unknown[], context?: string, logLevel?: string): void {
    for (const message of messages) this.lines.push(`${logLevel} [${context}] ${message instanceof Error ? message.stack : String(message)}`);
  }
}

export interface RunningGateway {
  app: INestApplication;
  /** Requests as `root`, the realm's gateway admin: engine-wide, as every test before identity existed. */
  http: HttpClient;
  /** Requests without a token. */
  anonymous: ReturnType<typeof request>;
  /** Requests as a realm user (its token from Keycloak), optionally narrowed to one workspace. */
  as(username: string, workspace?: string): Promise<HttpClient>;
  /** Requests with this bearer token. */
  withToken(token: string, workspace?: string): HttpClient;
  close(): Promise<void>;
}

/**
 * The real AppModule against the real stack, with fast sync for tests; `env` overrides any setting. `imports` adds
 * modules an application would add beside it (its own external-task workers).
 */
export async function startGateway(
  env: Record<string, string> = {},
  logger?: CapturingLogger,
  imports: Array<Type | DynamicModule> = [],
): Promise<RunningGateway> {
  await migrateTestDatabase();
  const settings: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: testEnv.databaseUrl,
    RABBITMQ_URL: testEnv.rabbitmqUrl,
    EVENTS_EXCHANGE: testEnv.eventsExchange,
    CAMUNDA_URL: testEnv.camundaUrl,
    CAMUNDA_USER: testEnv.camundaUser,
    CAMUNDA_PASSWORD: testEnv.camundaPassword,
    SYNC_INTERVAL_MS: '500',
    SYNC_OVERLAP_MS: '3000',
    WORKER_LONG_POLL_MS: '2000',
    OUTBOX_RELAY_INTERVAL_MS: '100',
    ...env,
  };
  const previous = Object.fromEntries(Object.keys(settings).map((key) => [key, process.env[key]]));
  Object.assign(process.env, settings);
  try {
    const builder = Test.createTestingModule({ imports: [AppModule, ...imports] });
    if (logger) builder.setLogger(logger);
    const moduleRef = await builder.compile();
    const app = configureHttpApp(moduleRef.createNestApplication({ logger: logger ?? ['error', 'warn'] }));
    await app.init();
    const server = app.getHttpServer() as Server;
    const withToken = (token: string, workspace?: string) => httpWith(server, bearer(token, workspace));
    return {
      app,
      http: withToken(await userToken(ADMIN_USER)),
      anonymous: request(server),
      as: async (username, workspace) => withToken(await userToken(username), workspace),
      withToken,
      close: () => app.close(),
    };
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
