import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum IncidentState {
  Open = 'OPEN',
  Resolved = 'RESOLVED',
  Deleted = 'DELETED',
}

@Entity({ name: 'incidents' })
@Index('ix_incidents_process_instance', ['processInstanceId'])
@Index('ix_incidents_open', ['state'], { where: "state = 'OPEN'" })
// Newest first per state, which @Index cannot say: created by its migration, checked to exist by the schema test.
@Index('ix_incidents_state_created', { synchronize: false })
export class IncidentRecord {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'process_instance_id', type: 'varchar', length: 64 })
  processInstanceId!: string;

  @Column({ type: 'varchar', length: 255 })
  type!: string;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ name: 'activity_id', type: 'varchar', length: 255, nullable: true })
  activityId!: string | null;

  /** The failed job's or external task's id. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  configuration!: string | null;

  @Column({ type: 'text', nullable: true })
  annotation!: string | null;

  @Column({ type: 'varchar', length: 16 })
  state!: IncidentState;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  /** Properties stored escaped because they hold U+0000 (see unstorable-text.ts). */
  @Column({ name: 'escaped_fields', type: 'text', array: true, default: () => "'{}'" })
  escapedFields!: string[];

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}

/** The engine-supplied text of a row, any of which may hold U+0000. */
export const INCIDENT_TEXT_FIELDS: readonly (keyof IncidentRecord)[] = ['type', 'message', 'activityId', 'configuration', 'annotation'];
