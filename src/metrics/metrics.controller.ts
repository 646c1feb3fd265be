import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GatewayMetrics } from './gateway-metrics.js';
import { RolesUnless } from '../auth/access.js';
import { Role } from '../identity/caller.js';
import { WorkerMetrics } from '../workers/worker-metrics.js';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  private readonly registry: Registry;

  constructor(metrics: GatewayMetrics, workers: WorkerMetrics) {
    this.registry = Registry.merge([metrics.registry, workers.registry]);
  }

  @RolesUnless('METRICS_PUBLIC', Role.Operator)
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: process, sync lag, outbox backlog, external-task workers per topic' })
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
