import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EventMessage } from './event-types.js';

/** An outbox row the broker refused OUTBOX_MAX_ATTEMPTS times; kept whole, so a replay publishes exactly what was refused. */
@Entity({ name: 'outbox_dead_letters' })
export class OutboxDeadLetterRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Its position in the outbox, given back on replay so it goes out ahead of its instance's rows still waiting. */
  @Column({ type: 'bigint' })
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

  @Column({ name: 'queued_at', type: 'timestamptz' })
  queuedAt!: Date;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'first_failed_at', type: 'timestamptz' })
  firstFailedAt!: Date;

  @Column({ name: 'last_error', type: 'text' })
  lastError!: string;

  @Column({ name: 'dead_lettered_at', type: 'timestamptz', default: () => 'now()' })
  deadLetteredAt!: Date;
}
