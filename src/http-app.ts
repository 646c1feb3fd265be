import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AcceptedWriteInterceptor } from './commands/accepted-write.interceptor.js';
import { ProblemDetailsFilter } from './problem/problem-details.filter.js';
import { gatewayValidationPipe } from './problem/validation.js';

/** Everything main.ts and the e2e tests both apply to the HTTP layer, so tests run the app as it ships. */
export function configureHttpApp(app: INestApplication): INestApplication {
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(gatewayValidationPipe());
  app.useGlobalInterceptors(new AcceptedWriteInterceptor());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('camunda-gateway')
      .setDescription('Validated API over a Camunda 7 engine; reads come from a PostgreSQL mirror kept in sync with the engine.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
