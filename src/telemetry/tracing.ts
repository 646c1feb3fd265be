import { Logger } from '@nestjs/common';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';
import { register } from 'node:module';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { GatewayConfig } from '../config/gateway-config.js';
import { RequestContext } from '../http/request-context.js';

export type TracingSettings = Pick<GatewayConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_SERVICE_NAME'>;

// Probes and scrapes, many a minute, would bury the requests worth looking at.
const UNTRACED_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Starts the OpenTelemetry SDK: W3C trace context, spans batched to the collector over OTLP/HTTP JSON, and the
 * instrumentation of incoming HTTP (named by the Express route Nest registered), outgoing HTTP (the engine), pg and
 * amqplib. Only modules loaded after this are instrumented: main.ts imports the application once it returns.
 *
 * Spans of the background loops (poll, reconcile, relay, workers' long polls) are not recorded on their own: outgoing
 * HTTP and pg need a parent span, so what is traced is a request and what it caused, and an event's publish.
 */
export function startTracing(settings: TracingSettings): NodeTracerProvider {
  // NestJS's platform-express is an ES module: its `import express` reaches the express instrumentation only through
  // this loader hook (without it the request's span is a bare "POST", no route). pg (required by TypeORM), amqplib and
  // node:http are reached by the require hooks the instrumentations install themselves.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  reportSdkProblems();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.OTEL_SERVICE_NAME }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: new URL('v1/traces', withSlash(settings.OTEL_EXPORTER_OTLP_ENDPOINT)).href }))],
  });
  // The default propagator is W3C trace context (and baggage), the traceparent header the events carry.
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
        requireParentforOutgoingSpans: true,
      }),
      // Route and handler layers name the request's span; a span per global middleware (helmet, body parser) is noise.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      new PgInstrumentation({ requireParentSpan: true }),
      new AmqplibInstrumentation(),
    ],
  });
  return provider;
}

/** `new URL('v1/traces', base)` replaces base's last path segment unless base ends with a slash. */
function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The SDK is silent by default: a collector it cannot reach (failed exports) would go unnoticed. */
function reportSdkProblems(): void {
  const logger = new Logger('Tracing');
  // The export timer runs in the context of whichever request ended the batch's first span: not that request's line.
  const requests = new RequestContext();
  const quiet = () => undefined;
  const warn = (message: string, ...args: unknown[]) =>
    requests.outside(() => logger.warn([errorMessage(message), ...args.map((arg) => (arg instanceof Error ? arg.message : String(arg)))].join(' ')));
  diag.setLogger({ error: warn, warn, info: quiet, debug: quiet, verbose: quiet }, DiagLogLevel.WARN);
}

/** The SDK's error handler passes an error serialized to JSON, stack and all; its message is what an operator reads. */
function errorMessage(message: string): string {
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    return typeof parsed.message === 'string' ? parsed.message : message;
  } catch {
    return message;
  }
}
