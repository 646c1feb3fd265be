import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import helmet from 'helmet';
import { PUBLIC_OPERATION_EXTENSION } from './auth/access.js';
import { AuthGuard } from './auth/auth.guard.js';
import { GatewayConfig } from './config/gateway-config.js';
import { CrossSiteRequestGuard } from './http/cross-site-request.guard.js';
import { ParsedValuesPipe } from './http/parsed-values.pipe.js';
import { RequestContentTypeGuard } from './http/request-content-type.guard.js';
import { assignRequestId } from './http/request-id.js';
import { RequestContext } from './http/request-context.js';
import { RequestValuesGuard } from './http/request-values.guard.js';
import { HttpMetrics } from './http/http-metrics.js';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AuditRecorder } from './audit/audit-recorder.js';
import { AcceptedWriteInterceptor } from './commands/accepted-write.interceptor.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { documentIdempotencyKey } from './idempotency/openapi-idempotency.js';
import { UploadLimitInterceptor } from './uploads/upload-limit.interceptor.js';
import { ProblemDetailsFilter } from './problem/problem-details.filter.js';
import { gatewayValidationPipe } from './problem/validation.js';

const BEARER_SCHEME = 'bearer';

/** Everything main.ts and the e2e tests both apply to the HTTP layer, so tests run the app as it ships. */
export function configureHttpApp(app: INestApplication): INestApplication {
  // Security headers for every answer (helmet also drops X-Powered-By).
  // No upgrade-insecure-requests: the gateway often runs on plain HTTP behind a proxy, and /docs must load there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.use(app.get(HttpMetrics).middleware);
  app.use(assignRequestId(app.get(RequestContext)));
  // Before every guard: commands the guards refuse after authentication are recorded too.
  app.use(app.get(AuditRecorder).watch);
  app.useGlobalFilters(new ProblemDetailsFilter());
  const allowedOrigins = app.get(GatewayConfig).ALLOWED_ORIGINS.map((origin) => origin.toLowerCase());
  // Browser clients send bearer tokens, never cookies: no credentialed CORS.
  app.enableCors({
    origin: allowedOrigins,
    credentials: false,
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Workspace', 'X-Request-Id'],
    exposedHeaders: ['Location', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
    maxAge: 600,
  });
  // Authentication first: without a valid token nothing else about the request is looked at.
  app.useGlobalGuards(app.get(AuthGuard), new CrossSiteRequestGuard(allowedOrigins), new RequestValuesGuard(), new RequestContentTypeGuard(app.get(Reflector)));
  app.useGlobalPipes(new ParsedValuesPipe(), gatewayValidationPipe());
  // Outermost first: an upload beyond the bound is refused before anything else; idempotency records the answer as
  // the caller gets it, after an AcceptedWrite became a 202.
  app.useGlobalInterceptors(app.get(UploadLimitInterceptor), app.get(IdempotencyInterceptor), new AcceptedWriteInterceptor());
  app.enableShutdownHooks();
  const document = documentPublicOperations(
    documentIdempotencyKey(
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('camunda-gateway')
          .setDescription('Validated API over a Camunda 7 engine; reads come from a PostgreSQL mirror kept in sync with the engine.')
          .setVersion('0.1.0')
          .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token of the configured OIDC issuer' }, BEARER_SCHEME)
          .addSecurityRequirements(BEARER_SCHEME)
          .addGlobalParameters({
            name: 'X-Workspace',
            in: 'header',
            required: false,
            description: 'Narrows the request to one of your workspaces',
            schema: { type: 'string' },
          })
          .build(),
      ),
    ),
    app.get(GatewayConfig),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** Operations open without a token say so with `security: []`; every other one inherits the bearer requirement. */
function documentPublicOperations(document: OpenAPIObject, config: GatewayConfig): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as Record<string, unknown>[]) {
      const openWhen = operation?.[PUBLIC_OPERATION_EXTENSION];
      if (openWhen === undefined) continue;
      if (openWhen === true || config[openWhen as 'METRICS_PUBLIC']) operation.security = [];
      delete operation[PUBLIC_OPERATION_EXTENSION];
    }
  }
  return document;
}
