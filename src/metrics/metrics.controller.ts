import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GatewayMetrics } from './gateway-metrics.js';
import { RolesUnless } from '../auth/access.js';
import { Role } from '../identity/caller.js';
import { EngineRequestMetrics } from '../camunda/engine-request-metrics.js';
import { HttpMetrics } from '../http/http-metrics.js';
import { WorkerMetrics } from '../workers/worker-metrics.js';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  private readonly registry: Registry;

  constructor(metrics: GatewayMetrics, workers: WorkerMetrics, http: HttpMetrics, engine: EngineRequestMetrics) {
    this.registry = Registry.merge([metrics.registry, http.registry, engine.registry, workers.registry]);
  }

  @RolesUnless('METRICS_PUBLIC', Role.Operator)
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary:
      'Prometheus metrics: process, HTTP requests by route and status, engine requests by operation and outcome, sync lag, outbox backlog, external-task workers per topic',
  })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
