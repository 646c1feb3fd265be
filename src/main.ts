import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { GatewayConfig, GatewayRole, validateGatewayConfig } from './config/gateway-config.js';
import { redactUrl } from './config/redact-url.js';
import { GatewayLogger } from './logging/gateway-logger.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

async function bootstrap(): Promise<void> {
  // Validated before Nest starts, so a bad value stops the boot with one clear message and no stack trace.
  let settings: GatewayConfig;
  try {
    settings = validateGatewayConfig(process.env);
  } catch (error) {
    bootFailure(`camunda-gateway cannot start. ${(error as Error).message}`);
  }
  // Tracing starts before the application is loaded: its hooks instrument only modules imported after it (Nest's
  // express, pg, amqplib, node:http), so the application comes in by dynamic import below, never statically here.
  const tracing = settings.OTEL_TRACES_EXPORTER === 'otlp' ? (await import('./telemetry/tracing.js')).startTracing(settings) : null;
  const [{ NestFactory }, { AppModule, WorkerAppModule }, { configureHttpApp }, { TracingShutdown }] = await Promise.all([
    import('@nestjs/core'),
    import('./app.module.js'),
    import('./http-app.js'),
    import('./telemetry/tracing-shutdown.js'),
  ]);
  const role = settings.GATEWAY_ROLE;
  const app = await NestFactory.create(role === GatewayRole.Worker ? WorkerAppModule : AppModule, {
    logger: new GatewayLogger(settings.LOG_FORMAT, LEVELS.slice(0, LEVELS.indexOf(settings.LOG_LEVEL as LogLevel) + 1)),
  });
  if (tracing) app.get(TracingShutdown).track(tracing);
  configureHttpApp(app);
  const config = app.get(GatewayConfig);
  await app.listen(config.PORT);
  const traced = tracing ? `; traces to ${redactUrl(settings.OTEL_EXPORTER_OTLP_ENDPOINT)}` : '';
  new Logger('Bootstrap').log(`camunda-gateway (${role}) listening on http://localhost:${config.PORT} (API docs at /docs)${traced}`);
}

/** Logged in the format asked for even when the configuration is what failed (then JSON unless it says text). */
function bootFailure(message: string): never {
  new GatewayLogger(process.env.LOG_FORMAT === 'text' ? 'text' : 'json', ['fatal']).fatal(message, 'Bootstrap');
  process.exit(1);
}

void bootstrap().catch((error: Error) => bootFailure(`camunda-gateway failed to start: ${error.message}`));
