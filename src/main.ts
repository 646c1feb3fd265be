import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { GatewayConfig, validateGatewayConfig } from './config/gateway-config.js';
import { configureHttpApp } from './http-app.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad value stops the boot with one clear message and no stack trace.
  let logLevel: string;
  try {
    logLevel = validateGatewayConfig(process.env).LOG_LEVEL;
  } catch (error) {
    console.error(`camunda-gateway cannot start. ${(error as Error).message}`);
    process.exit(1);
  }
  const app = await NestFactory.create(AppModule, { logger: LEVELS.slice(0, LEVELS.indexOf(logLevel as LogLevel) + 1) });
  configureHttpApp(app);
  const config = app.get(GatewayConfig);
  await app.listen(config.PORT);
  new Logger('Bootstrap').log(`camunda-gateway listening on http://localhost:${config.PORT} (API docs at /docs)`);
}

void bootstrap().catch((error: Error) => {
  console.error(`camunda-gateway failed to start: ${error.message}`);
  process.exit(1);
});
