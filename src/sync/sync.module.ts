import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { EventsModule } from '../events/events.module.js';
import { BulkFollowUp } from './bulk-follow-up.js';
import { CandidateIndexBuilder } from './candidate-index.js';
import { MirrorContentCheck } from './content-check.js';
import { DatabaseClock } from './database-clock.js';
import { DefinitionSync } from './definition-sync.js';
import { EngineChanges } from './engine-changes.js';
import { FailureTriage } from './failure-triage.js';
import { SyncRecords } from './sync-records.js';
import { InstanceImport } from './instance-import.js';
import { InstanceRefresher } from './instance-refresher.js';
import { InstanceSnapshotReader } from './instance-snapshot-reader.js';
import { MirrorApplier } from './mirror-applier.js';
import { MirroredChanges } from './mirrored-changes.js';
import { MirrorStore } from './mirror-store.js';
import { MirrorRetention } from './mirror-retention.js';
import { MirroredOpenInstances } from './mirrored-open-instances.js';
import { MirroredOpenRows } from './mirrored-open-rows.js';
import { ParkedInstances } from './parked-instances.js';
import { Reconciler } from './reconciler.js';
import { SyncController } from './sync.controller.js';
import { SyncScheduler } from './sync.scheduler.js';
import { SyncService } from './sync.service.js';
import { UpdatedTasks } from './updated-tasks.js';

/** The only writer of the mirror tables. */
@Module({
  imports: [CamundaModule, EventsModule],
  controllers: [SyncController],
  providers: [
    SyncService,
    SyncRecords,
    DatabaseClock,
    InstanceRefresher,
    InstanceImport,
    CandidateIndexBuilder,
    SyncScheduler,
    MirrorApplier,
    MirrorStore,
    InstanceSnapshotReader,
    EngineChanges,
    DefinitionSync,
    Reconciler,
    MirrorContentCheck,
    ParkedInstances,
    FailureTriage,
    MirrorRetention,
    UpdatedTasks,
    BulkFollowUp,
    MirroredOpenInstances,
    MirroredOpenRows,
    MirroredChanges,
  ],
  exports: [SyncService, InstanceRefresher, FailureTriage],
})
export class SyncModule {}
