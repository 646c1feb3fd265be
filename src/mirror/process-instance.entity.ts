import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EngineInstanceState as InstanceState } from '../camunda/camunda.models.js';

/** The mirror keeps the engine's own history states. */
export { InstanceState };

@Entity({ name: 'process_instances' })
@Index('ix_process_instances_definition_key', ['definitionKey'])
@Index('ix_process_instances_business_key', ['businessKey'])
@Index('ix_process_instances_state', ['state'])
@Index('ix_process_instances_tenant_started_by', ['tenantId', 'startedBy'])
@Index('ix_process_instances_tenant', ['tenantId'])
@Index('ix_process_instances_by_started', ['startedAt', 'id'])
@Index('ix_process_instances_ended_at', ['endedAt'], { where: 'ended_at IS NOT NULL' })
export class ProcessInstanceRecord {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'definition_id', type: 'varchar', length: 64 })
  definitionId!: string;

  @Column({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  @Column({ name: 'business_key', type: 'varchar', length: 255, nullable: true })
  businessKey!: string | null;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64, nullable: true })
  tenantId!: string | null;

  @Column({ type: 'varchar', length: 32 })
  state!: InstanceState;

  /** Camunda user id of who started it (sync/started-by.ts); null when unknown. */
  @Column({ name: 'started_by', type: 'varchar', length: 64, nullable: true })
  startedBy!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'delete_reason', type: 'text', nullable: true })
  deleteReason!: string | null;

  /** Sequence number of the last event written for this instance; consumers order and de-duplicate by it. */
  @Column({ name: 'last_event_sequence', type: 'int', default: 0 })
  lastEventSequence!: number;

  /** When the engine read behind this row began (database clock); an older read is never applied over it. */
  @Column({ name: 'snapshot_read_at', type: 'timestamptz', nullable: true })
  snapshotReadAt!: Date | null;

  /** Properties stored escaped because they hold U+0000 (see unstorable-text.ts). */
  @Column({ name: 'escaped_fields', type: 'text', array: true, default: () => "'{}'" })
  escapedFields!: string[];

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}

/** The engine-supplied text of a row, any of which may hold U+0000. */
export const INSTANCE_TEXT_FIELDS: readonly (keyof ProcessInstanceRecord)[] = ['businessKey', 'tenantId', 'deleteReason', 'definitionKey', 'startedBy'];
