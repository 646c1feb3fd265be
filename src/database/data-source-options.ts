import type { DataSourceOptions } from 'typeorm';
import { InitialMirror1763712000000 } from '../../migrations/1763712000000-initial-mirror.js';
import { VariablesIncidents1763798400000 } from '../../migrations/1763798400000-variables-incidents.js';
import { SyncRuns1763884800000 } from '../../migrations/1763884800000-sync-runs.js';
import { IdempotencyKeys1764300000000 } from '../../migrations/1764300000000-idempotency-keys.js';
import { InstanceStartedBy1764500000000 } from '../../migrations/1764500000000-instance-started-by.js';
import { EventTenantActor1764500000001 } from '../../migrations/1764500000001-event-tenant-actor.js';
import { AuditLog1764500000002 } from '../../migrations/1764500000002-audit-log.js';
import { AuditLogRecord } from '../audit/audit-log.entity.js';
import { Identity1764400000000 } from '../../migrations/1764400000000-identity.js';
import { CommentAuthors1764600000000 } from '../../migrations/1764600000000-comment-authors.js';
import { ListIndexes1764700000000 } from '../../migrations/1764700000000-list-indexes.js';
import { EndedInstances1764800000000 } from '../../migrations/1764800000000-ended-instances.js';
import { ImportProgress1764900000000 } from '../../migrations/1764900000000-import-progress.js';
import { IncidentList1764910000000 } from '../../migrations/1764910000000-incident-list.js';
import { TaskListTenantIndexes1764920000000 } from '../../migrations/1764920000000-task-list-tenant-indexes.js';
import { HeldEvents1765000000000 } from '../../migrations/1765000000000-held-events.js';
import { EventRequestTrace1765100000000 } from '../../migrations/1765100000000-event-request-trace.js';
import { CandidateCountStatistics1765200000000 } from '../../migrations/1765200000000-candidate-count-statistics.js';
import { HeldBy1765300000000 } from '../../migrations/1765300000000-held-by.js';
import { CommentAuthorRecord } from '../tasks/comment-author.entity.js';
import { OutboxRetriesDeadLetters1764200000000 } from '../../migrations/1764200000000-outbox-retries-dead-letters.js';
import { OutboxDeadLetterRecord } from '../events/outbox-dead-letter.entity.js';
import { ParkedInstances1764100000000 } from '../../migrations/1764100000000-parked-instances.js';
import { EscapedFields1764100000001 } from '../../migrations/1764100000001-escaped-fields.js';
import { SnapshotReadAt1764100000002 } from '../../migrations/1764100000002-snapshot-read-at.js';
import { TaskSuspension1764100000003 } from '../../migrations/1764100000003-task-suspension.js';
import { OutboxEventRecord } from '../events/outbox-event.entity.js';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity.js';
import { IdentityUserRecord } from '../identity/identity-user.entity.js';
import { WorkspaceRecord } from '../identity/workspace.entity.js';
import { MIRROR_ENTITIES } from '../mirror/mirror-entities.js';
import { ParkedInstanceRecord } from '../sync/parked-instance.entity.js';
import { SyncCursorRecord } from '../sync/sync-cursor.entity.js';
import { SyncRunRecord } from '../sync/sync-run.entity.js';

/** The single description of the gateway's database, used by the app and by the migration CLI alike. */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [
      ...MIRROR_ENTITIES,
      OutboxEventRecord,
      OutboxDeadLetterRecord,
      SyncCursorRecord,
      SyncRunRecord,
      ParkedInstanceRecord,
      IdempotencyRecord,
      AuditLogRecord,
      IdentityUserRecord,
      WorkspaceRecord,
      CommentAuthorRecord,
    ],
    migrations: [
      InitialMirror1763712000000,
      VariablesIncidents1763798400000,
      SyncRuns1763884800000,
      ParkedInstances1764100000000,
      EscapedFields1764100000001,
      SnapshotReadAt1764100000002,
      TaskSuspension1764100000003,
      OutboxRetriesDeadLetters1764200000000,
      IdempotencyKeys1764300000000,
      Identity1764400000000,
      InstanceStartedBy1764500000000,
      EventTenantActor1764500000001,
      AuditLog1764500000002,
      CommentAuthors1764600000000,
      ListIndexes1764700000000,
      EndedInstances1764800000000,
      ImportProgress1764900000000,
      IncidentList1764910000000,
      TaskListTenantIndexes1764920000000,
      HeldEvents1765000000000,
      EventRequestTrace1765100000000,
      CandidateCountStatistics1765200000000,
      HeldBy1765300000000,
    ],
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    // Query errors reach our own logs through the problem filter; TypeORM's would print query parameters.
    logging: ['migration'],
    // Fail fast on a dead database instead of hanging requests; the pool reconnects by itself.
    extra: { connectionTimeoutMillis: 5_000, max: 20 },
  };
}
