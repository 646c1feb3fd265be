import type { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import helmet from 'helmet';
import { GatewayConfig } from './config/gateway-config.js';
import { CrossSiteRequestGuard } from './http/cross-site-request.guard.js';
import { ParsedValuesPipe } from './http/parsed-values.pipe.js';
import { RequestContentTypeGuard } from './http/request-content-type.guard.js';
import { RequestValuesGuard } from './http/request-values.guard.js';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AcceptedWriteInterceptor } from './commands/accepted-write.interceptor.js';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor.js';
import { documentIdempotencyKey } from './idempotency/openapi-idempotency.js';
import { UploadLimitInterceptor } from './uploads/upload-limit.interceptor.js';
import { ProblemDetailsFilter } from './problem/problem-details.filter.js';
import { gatewayValidationPipe } from './problem/validation.js';

/** Everything main.ts and the e2e tests both apply to the HTTP layer, so tests run the app as it ships. */
export function configureHttpApp(app: INestApplication): INestApplication {
  // Security headers for every answer (helmet also drops X-Powered-By).
  // No upgrade-insecure-requests: the gateway often runs on plain HTTP behind a proxy, and /docs must load there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.useGlobalFilters(new ProblemDetailsFilter());
  const allowedOrigins = app.get(GatewayConfig).ALLOWED_ORIGINS.map((origin) => origin.toLowerCase());
  app.useGlobalGuards(new CrossSiteRequestGuard(allowedOrigins), new RequestValuesGuard(), new RequestContentTypeGuard(app.get(Reflector)));
  app.useGlobalPipes(new ParsedValuesPipe(), gatewayValidationPipe());
  // Outermost first: an upload beyond the bound is refused before anything else; idempotency records the answer as
  // the caller gets it, after an AcceptedWrite became a 202.
  app.useGlobalInterceptors(app.get(UploadLimitInterceptor), app.get(IdempotencyInterceptor), new AcceptedWriteInterceptor());
  app.enableShutdownHooks();
  const document = documentIdempotencyKey(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('camunda-gateway')
      .setDescription('Validated API over a Camunda 7 engine; reads come from a PostgreSQL mirror kept in sync with the engine.')
      .setVersion('0.1.0')
      .build(),
  ));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
