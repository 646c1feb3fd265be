import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { EngineInfoClient } from '../camunda/clients/engine-info.client.js';
import { EngineGate } from '../engine-support/engine-gate.js';
import { OutboxRelay } from '../events/outbox-relay.js';
import { SyncService } from '../sync/sync.service.js';
import { EngineAdmin, Public } from '../auth/access.js';
import { WorkerRuntime } from '../workers/worker-runtime.js';

const CHECK_TIMEOUT_MS = 3_000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly engineInfoClient: EngineInfoClient,
    private readonly relay: OutboxRelay,
    private readonly sync: SyncService,
    private readonly workers: WorkerRuntime,
    private readonly engineGate: EngineGate,
  ) {}

  @EngineAdmin()
  @Get()
  @ApiOperation({ summary: 'Readiness in detail: database, engine and broker reachable; sync and outbox state' })
  @ApiOkResponse({ description: 'Everything the gateway depends on answers' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; `error` names it' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () =>
          this.indicator
            .check('database')
            .attempt(async () => {
              await this.dataSource.query('SELECT 1');
            })
            .withTimeout(CHECK_TIMEOUT_MS),
        () =>
          this.indicator
            .check('camunda')
            .attempt(async () => ({ name: this.engineGate.identity?.name ?? null, version: await this.engineInfoClient.version() }))
            .withTimeout(CHECK_TIMEOUT_MS),
        () =>
          this.indicator
            .check('rabbitmq')
            .attempt(() => this.relay.checkBroker())
            .withTimeout(CHECK_TIMEOUT_MS),
        () => this.syncState(),
        () => this.workerState(),
      ]);
    } catch (error) {
      // Terminus reports "down" as an exception; the body it carries is what dashboards read.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  @Public()
  @Get('ready')
  @ApiOperation({ summary: 'Readiness without details, for load balancers and probes: 200 when database, engine and broker answer' })
  @ApiOkResponse({ description: '{ status: "ok" }' })
  @ApiServiceUnavailableResponse({ description: '{ status: "unavailable" }: which dependency is down is not said here' })
  async ready(@Res({ passthrough: true }) response: Response): Promise<{ status: 'ok' | 'unavailable' }> {
    const result = await this.check(response);
    return { status: result.status === 'ok' ? 'ok' : 'unavailable' };
  }

  @Public()
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up (no dependency checks)' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** A topic whose fetching fails degrades the gateway: its tasks wait in the engine, nothing is lost. */
  private workerState() {
    const topics = this.workers.status().map(({ topic, lastFetchAt, lastError }) => ({ topic, fetching: lastError === null, lastFetchAt, lastError }));
    const check = this.indicator.check('workers');
    return topics.some((topic) => !topic.fetching) ? check.degraded({ topics }) : check.up({ topics });
  }

  /** Sync and outbox trouble degrades the gateway (reads may be stale) but does not take it out of service. */
  private async syncState() {
    let cursors: Awaited<ReturnType<SyncService['status']>>;
    let outbox: Awaited<ReturnType<OutboxRelay['status']>>;
    try {
      [cursors, outbox] = await Promise.all([this.sync.status(), this.relay.status()]);
    } catch (error) {
      return this.indicator.check('sync').down({ message: `sync state unreadable: ${(error as Error).message}` });
    }
    const failing = cursors.filter((cursor) => cursor.lastError !== null);
    const data = { cursors: cursors.map(({ name, lagMs, lastError }) => ({ name, lagMs, lastError })), outboxPending: outbox.pending };
    return failing.length > 0 || outbox.lastError ? this.indicator.check('sync').degraded(data) : this.indicator.check('sync').up(data);
  }
}
