import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule, WorkerAppModule } from './app.module.js';
import { GatewayConfig, GatewayRole, validateGatewayConfig } from './config/gateway-config.js';
import { configureHttpApp } from './http-app.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad value stops the boot with one clear message and no stack trace.
  let logLevel: string;
  let role: GatewayRole;
  try {
    ({ LOG_LEVEL: logLevel, GATEWAY_ROLE: role } = validateGatewayConfig(process.env));
  } catch (error) {
    console.error(`camunda-gateway cannot start. ${(error as Error).message}`);
    process.exit(1);
  }
  const app = await NestFactory.create(role === GatewayRole.Worker ? WorkerAppModule : AppModule, {
    logger: LEVELS.slice(0, LEVELS.indexOf(logLevel as LogLevel) + 1),
  });
  configureHttpApp(app);
  const config = app.get(GatewayConfig);
  await app.listen(config.PORT);
  new Logger('Bootstrap').log(`camunda-gateway (${role}) listening on http://localhost:${config.PORT} (API docs at /docs)`);
}

void bootstrap().catch((error: Error) => {
  console.error(`camunda-gateway failed to start: ${error.message}`);
  process.exit(1);
});
