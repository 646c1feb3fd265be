import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OutboxRelay, type OutboxStatus } from '../events/outbox-relay.js';
import type { ImportStatus } from './instance-import.js';
import type { ParkedStatus } from './parked-instances.js';
import { SyncService, type CursorStatus, type SyncRunResult } from './sync.service.js';
import { EngineAdmin } from '../auth/access.js';

@ApiTags('sync')
@Controller('sync')
export class SyncController {
  constructor(
    private readonly sync: SyncService,
    private readonly relay: OutboxRelay,
  ) {}

  @EngineAdmin()
  @Get('status')
  @ApiOperation({ summary: "Per-cursor last run, lag and errors, the first import's progress, the parked instances and the outbox backlog" })
  @ApiOkResponse({ description: 'Sync and event-relay status; `import` is null on a mirror that never imported (it predates the import cursor)' })
  async status(): Promise<{ cursors: CursorStatus[]; import: ImportStatus | null; parked: ParkedStatus; outbox: OutboxStatus }> {
    const [cursors, instanceImport, parked, outbox] = await Promise.all([
      this.sync.status(),
      this.sync.importStatus(),
      this.sync.parkedStatus(),
      this.relay.status(),
    ]);
    return { cursors, import: instanceImport, parked, outbox };
  }

  @EngineAdmin()
  @Post('run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run an incremental sync now (looking back the whole overlap) and wait for it' })
  run(): Promise<SyncRunResult> {
    return this.sync.runPoll({ deep: true });
  }

  @EngineAdmin()
  @Post('reconcile')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a full reconcile now and wait for it: every open instance and task compared with the engine' })
  reconcile(): Promise<SyncRunResult> {
    return this.sync.runReconcile();
  }
}
