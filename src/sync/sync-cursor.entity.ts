import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a sync loop got to, in engine time; kept in the database so restarts resume instead of starting over. */
@Entity({ name: 'sync_cursors' })
export class SyncCursorRecord {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'timestamptz', nullable: true })
  position!: Date | null;

  @Column({ name: 'last_run_at', type: 'timestamptz', nullable: true })
  lastRunAt!: Date | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_run_instances', type: 'int', default: 0 })
  lastRunInstances!: number;

  @Column({ name: 'last_run_changes', type: 'int', default: 0 })
  lastRunChanges!: number;

  /** Where a resumable run got to beyond `position` (the import: its keyset, counts and phase). */
  @Column({ type: 'jsonb', nullable: true })
  progress!: Record<string, unknown> | null;
}
