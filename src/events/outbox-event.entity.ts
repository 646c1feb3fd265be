import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { EventMessage } from './event-types.js';

/** An event waiting for (or done with) publication; written in the transaction of the change it reports. */
@Entity({ name: 'outbox_events' })
@Index('ix_outbox_events_unpublished', ['position'], { where: 'published_at IS NULL' })
@Index('ix_outbox_events_unpublished_instance', ['processInstanceId', 'position'], { where: 'published_at IS NULL' })
@Index('ix_outbox_events_published_at', ['publishedAt'], { where: 'published_at IS NOT NULL' })
export class OutboxEventRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Commit-order position; the relay publishes in this order, so per-instance order holds on the wire. */
  @Column({ type: 'bigint', generated: 'increment', unique: true })
  position!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'process_instance_id', type: 'varchar', length: 64, nullable: true })
  processInstanceId!: string | null;

  @Column({ type: 'int', nullable: true })
  sequence!: number | null;

  @Column({ type: 'jsonb' })
  payload!: EventMessage;

  /** The W3C trace context of the request that caused the event (traceparent, tracestate), published as AMQP headers. */
  @Column({ name: 'trace_context', type: 'jsonb', nullable: true })
  traceContext!: Record<string, string> | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** When the row was written (or re-queued from the dead letters): what "how long has it waited" is measured from. */
  @Column({ name: 'queued_at', type: 'timestamptz', default: () => 'now()' })
  queuedAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  /** Publish attempts the broker refused; relay-wide outages do not count. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** Not published before this while set: a worker's event waiting for the engine to accept its completion. */
  @Column({ name: 'held_until', type: 'timestamptz', nullable: true })
  heldUntil!: Date | null;

  /** The attempts at the external task that hold it (a redelivery holds it too); null for events never held. */
  @Column({ name: 'held_by', type: 'uuid', array: true, nullable: true })
  heldBy!: string[] | null;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'first_failed_at', type: 'timestamptz', nullable: true })
  firstFailedAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
