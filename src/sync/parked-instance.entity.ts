import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An instance whose refresh failed for a reason of its own; later polls retry it with backoff until one succeeds. */
@Entity({ name: 'parked_instances' })
@Index('ix_parked_instances_next_retry', ['nextRetryAt'])
export class ParkedInstanceRecord {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 64 })
  instanceId!: string;

  @Column({ type: 'text' })
  error!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'first_failed_at', type: 'timestamptz' })
  firstFailedAt!: Date;

  @Column({ name: 'last_failed_at', type: 'timestamptz' })
  lastFailedAt!: Date;

  @Column({ name: 'next_retry_at', type: 'timestamptz' })
  nextRetryAt!: Date;
}
