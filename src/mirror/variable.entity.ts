import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `process`: on the instance; `local`: on an inner scope (sub-process, multi-instance); `task`: task-local. */
export type VariableScopeKind = 'process' | 'local' | 'task';

@Entity({ name: 'variables' })
@Index('ix_variables_process_instance', ['processInstanceId'])
@Index('ix_variables_name', ['name'])
export class VariableRecord {
  /** The engine's variable-instance id. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'process_instance_id', type: 'varchar', length: 64 })
  processInstanceId!: string;

  @Column({ type: 'varchar', length: 4000 })
  name!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** As the gateway's API shows it: Json parsed, Object serialized, File null (see valueInfo). */
  @Column({ type: 'jsonb', nullable: true })
  value!: unknown;

  @Column({ name: 'value_info', type: 'jsonb', nullable: true })
  valueInfo!: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 16 })
  scope!: VariableScopeKind;

  @Column({ name: 'task_id', type: 'varchar', length: 64, nullable: true })
  taskId!: string | null;

  @Column({ name: 'activity_instance_id', type: 'varchar', length: 64, nullable: true })
  activityInstanceId!: string | null;

  /** Properties stored escaped because they hold U+0000 (see unstorable-text.ts). */
  @Column({ name: 'escaped_fields', type: 'text', array: true, default: () => "'{}'" })
  escapedFields!: string[];

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}

/** The engine-supplied text of a row, any of which may hold U+0000. */
export const VARIABLE_TEXT_FIELDS: readonly (keyof VariableRecord)[] = ['name', 'type', 'value', 'valueInfo'];
