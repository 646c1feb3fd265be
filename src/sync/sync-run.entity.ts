import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One sync step a replica ran (poll or reconcile), kept a week: which replica ran what, when, and how it ended. */
@Entity({ name: 'sync_runs' })
@Index('ix_sync_runs_started_at', ['startedAt'])
export class SyncRunRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 255 })
  replica!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'int', nullable: true })
  instances!: number | null;

  @Column({ type: 'int', nullable: true })
  changes!: number | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
