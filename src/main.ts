import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, WorkerAppModule } from './app.module.js';
import { GatewayConfig, GatewayRole, validateGatewayConfig } from './config/gateway-config.js';
import { configureHttpApp } from './http-app.js';
import { GatewayLogger, type LogFormat } from './logging/gateway-logger.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad value stops the boot with one clear message and no stack trace.
  let logLevel: string;
  let logFormat: LogFormat;
  let role: GatewayRole;
  try {
    ({ LOG_LEVEL: logLevel, LOG_FORMAT: logFormat, GATEWAY_ROLE: role } = validateGatewayConfig(process.env));
  } catch (error) {
    bootFailure(`camunda-gateway cannot start. ${(error as Error).message}`);
  }
  const app = await NestFactory.create(role === GatewayRole.Worker ? WorkerAppModule : AppModule, {
    logger: new GatewayLogger(logFormat, LEVELS.slice(0, LEVELS.indexOf(logLevel as LogLevel) + 1)),
  });
  configureHttpApp(app);
  const config = app.get(GatewayConfig);
  await app.listen(config.PORT);
  new Logger('Bootstrap').log(`camunda-gateway (${role}) listening on http://localhost:${config.PORT} (API docs at /docs)`);
}

/** Logged in the format asked for even when the configuration is what failed (then JSON unless it says text). */
function bootFailure(message: string): never {
  new GatewayLogger(process.env.LOG_FORMAT === 'text' ? 'text' : 'json', ['fatal']).fatal(message, 'Bootstrap');
  process.exit(1);
}

void bootstrap().catch((error: Error) => bootFailure(`camunda-gateway failed to start: ${error.message}`));
