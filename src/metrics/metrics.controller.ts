import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { GatewayMetrics } from './gateway-metrics.js';
import { RolesUnless } from '../auth/access.js';
import { Role } from '../identity/caller.js';

@ApiTags('health')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: GatewayMetrics) {}

  @RolesUnless('METRICS_PUBLIC', Role.Operator)
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: process, sync lag, outbox backlog' })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
