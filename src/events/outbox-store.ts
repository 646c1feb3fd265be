import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import type { EventMessage } from './event-types.js';

export interface PendingEvent {
  id: string;
  processInstanceId: string | null;
  type: string;
  payload: EventMessage;
  traceContext: Record<string, string> | null;
  occurredAt: Date;
  attempts: number;
}

export interface RefusedEvent {
  id: string;
  reason: string;
  /** Attempts including this one. */
  attempts: number;
  retryInMs: number;
}

/** The relay's SQL on the outbox; every statement runs on the relay's own connection, outside any long transaction. */
@Injectable()
export class OutboxStore {
  /**
   * Due rows in commit order. A row waits while an earlier row of its instance is being retried or is held, so a
   * refused or held event holds back its own instance's later events only (per-instance order), never others'.
   */
  async nextBatch(db: QueryRunner, limit: number): Promise<PendingEvent[]> {
    return (await db.query(
      `SELECT e.id, e.process_instance_id AS "processInstanceId", e.type, e.payload, e.trace_context AS "traceContext", e.occurred_at AS "occurredAt", e.attempts
         FROM outbox_events e
        WHERE e.published_at IS NULL
          AND (e.next_attempt_at IS NULL OR e.next_attempt_at <= now())
          AND (e.held_until IS NULL OR e.held_until <= now())
          AND NOT EXISTS (
                SELECT 1 FROM outbox_events earlier
                 WHERE earlier.published_at IS NULL
                   AND earlier.process_instance_id = e.process_instance_id
                   AND earlier.position < e.position
                   AND (earlier.attempts > 0 OR earlier.held_until > now()))
        ORDER BY e.position
        LIMIT $1`,
      [limit],
    )) as PendingEvent[];
  }

  /** Records the broker's answers in one short transaction; a row refused for the last time moves to the dead letters. */
  async settle(db: QueryRunner, published: string[], refused: RefusedEvent[], maxAttempts: number): Promise<{ deadLettered: string[] }> {
    const deadLettered: string[] = [];
    await db.startTransaction();
    try {
      if (published.length > 0) await db.query(`UPDATE outbox_events SET published_at = now() WHERE id = ANY($1)`, [published]);
      for (const event of refused) {
        if (event.attempts >= maxAttempts) {
          await this.moveToDeadLetters(db, event);
          deadLettered.push(event.id);
        } else {
          await db.query(
            `UPDATE outbox_events
                SET attempts = $2, last_error = $3, first_failed_at = coalesce(first_failed_at, now()),
                    next_attempt_at = now() + $4 * interval '1 millisecond'
              WHERE id = $1`,
            [event.id, event.attempts, event.reason, event.retryInMs],
          );
        }
      }
      await db.commitTransaction();
    } catch (error) {
      await db.rollbackTransaction().catch(() => undefined);
      throw error;
    }
    return { deadLettered };
  }

  private async moveToDeadLetters(db: QueryRunner, event: RefusedEvent): Promise<void> {
    await db.query(
      `WITH moved AS (DELETE FROM outbox_events WHERE id = $1 AND published_at IS NULL RETURNING *)
       INSERT INTO outbox_dead_letters
              (id, position, type, process_instance_id, sequence, payload, trace_context, occurred_at, queued_at, attempts, first_failed_at, last_error)
       SELECT id, position, type, process_instance_id, sequence, payload, trace_context, occurred_at, queued_at, $2, coalesce(first_failed_at, now()), $3
         FROM moved`,
      [event.id, event.attempts, event.reason],
    );
  }
}
