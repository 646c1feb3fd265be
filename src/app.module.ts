import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DeploymentsModule } from './deployments/deployments.module.js';
import { EngineSupportModule } from './engine-support/engine-support.module.js';
import { EventsModule } from './events/events.module.js';
import { RequestContextModule } from './http/request-context.module.js';
import { HealthModule } from './health/health.module.js';
import { IdentityModule } from './identity/identity.module.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { MessagesModule } from './messages/messages.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ProcessDefinitionsModule } from './process-definitions/process-definitions.module.js';
import { ProcessInstancesModule } from './process-instances/process-instances.module.js';
import { SyncModule } from './sync/sync.module.js';
import { TasksModule } from './tasks/tasks.module.js';
import { TelemetryModule } from './telemetry/telemetry.module.js';
import { UploadsModule } from './uploads/uploads.module.js';
import { VariablesModule } from './variables/variables.module.js';
import { WorkersModule } from './workers/workers.module.js';

// Order matters at boot: the engine is checked first (EngineSupportModule), models are deployed (DeploymentsModule)
// before the workers start fetching.
const FOUNDATION = [
  ConfigModule,
  TelemetryModule,
  RequestContextModule,
  EngineSupportModule,
  DatabaseModule,
  ScheduleModule.forRoot(),
  EventsModule,
  IdentityModule,
  AuthModule,
  SyncModule,
  IdempotencyModule,
  UploadsModule,
];
const PROCESS_API = [DeploymentsModule, ProcessDefinitionsModule, ProcessInstancesModule, TasksModule, VariablesModule, MessagesModule, IncidentsModule];
const OPERATIONS = [WorkersModule, HealthModule, MetricsModule, AuditModule];

/** The whole gateway: the process API, the mirror, the outbox and (unless GATEWAY_ROLE=api) the workers. */
@Module({ imports: [...FOUNDATION, ...PROCESS_API, ...OPERATIONS] })
export class AppModule {}

/**
 * GATEWAY_ROLE=worker (`npm run worker`): external-task workers with the mirror, outbox relay, health and metrics
 * they need, and none of the process API, so workers scale apart from the API.
 */
@Module({ imports: [...FOUNDATION, ...OPERATIONS] })
export class WorkerAppModule {}
