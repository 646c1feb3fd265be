import { Global, Module } from '@nestjs/common';
import { TracingShutdown } from './tracing-shutdown.js';

@Global()
@Module({ providers: [TracingShutdown], exports: [TracingShutdown] })
export class TelemetryModule {}
