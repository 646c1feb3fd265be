import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventCause, EventMessage, InstanceEvent } from './event-types.js';

/** Appends events to the outbox inside the caller's transaction, so an event exists exactly when its change does. */
@Injectable()
export class OutboxWriter {
  /** Which of these event ids the outbox (or its dead letters) already holds. */
  async writtenIds(manager: EntityManager, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM outbox_events WHERE id = ANY($1::uuid[]) UNION SELECT id FROM outbox_dead_letters WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Deletes an instance's held events that are still held and closes the gap they leave in its `sequence`: its later
   * events (all unpublished, since they wait behind a held one) move down. Returns how many were deleted. Runs under
   * the instance's lock (MirrorApplier), so no refresh numbers events meanwhile.
   */
  async discardHeld(manager: EntityManager, processInstanceId: string, ids: string[], heldBy: string): Promise<number> {
    if (ids.length === 0) return 0;
    // held_by is null on rows held before the column existed: those are anyone's to discard, as they were then.
    const [{ removed }] = await manager.query<[{ removed: number }]>(
      `WITH removed AS (
         DELETE FROM outbox_events
          WHERE id = ANY($2::uuid[]) AND process_instance_id = $1 AND published_at IS NULL AND held_until > now()
            AND (held_by = $3 OR held_by IS NULL)
         RETURNING sequence),
       shifted AS (
         UPDATE outbox_events event
            SET sequence = event.sequence - later.below,
                payload = jsonb_set(event.payload, '{sequence}', to_jsonb(event.sequence - later.below))
           FROM (SELECT o.id, (SELECT count(*) FROM removed WHERE removed.sequence < o.sequence)::int AS below
                   FROM outbox_events o
                  WHERE o.process_instance_id = $1 AND o.published_at IS NULL AND NOT (o.id = ANY($2::uuid[]))) AS later
          WHERE event.id = later.id AND later.below > 0)
       SELECT count(*)::int AS removed FROM removed`,
      [processInstanceId, ids, heldBy],
    );
    return removed;
  }

  /**
   * Makes still-held events (a redelivered task's, written by its first holder) held by this attempt, for as long as
   * it holds them, so that the first holder's discard leaves them alone. Released or published ones stay as they are.
   */
  async takeOverHeld(manager: EntityManager, events: { id?: string; heldBy?: string; holdMs?: number }[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `UPDATE outbox_events event
          SET held_by = taken.held_by, held_until = now() + taken.hold_ms * interval '1 millisecond'
         FROM unnest($1::uuid[], $2::uuid[], $3::bigint[]) AS taken (id, held_by, hold_ms)
        WHERE event.id = taken.id AND event.published_at IS NULL AND event.held_until IS NOT NULL`,
      [events.map((event) => event.id), events.map((event) => event.heldBy), events.map((event) => event.holdMs)],
    );
  }

  async append(manager: EntityManager, events: InstanceEvent[]): Promise<void> {
    if (events.length === 0) return;
    const messages = events.map((event): EventMessage => ({
      id: event.id ?? randomUUID(),
      type: event.type,
      time: event.occurredAt.toISOString(),
      sequence: event.sequence,
      processInstanceId: event.processInstanceId,
      businessKey: event.businessKey,
      processDefinitionKey: event.processDefinitionKey,
      tenantId: event.tenantId,
      actor: event.actor,
      requestId: event.cause?.requestId ?? null,
      data: event.data,
    }));
    // One statement for any number of events; rows are inserted in the order given, so `position`, the order
    // consumers see, follows it.
    await manager.query(
      `INSERT INTO outbox_events (id, type, process_instance_id, sequence, payload, trace_context, occurred_at, held_until, held_by)
       SELECT id, type, process_instance_id, sequence, payload, trace_context, occurred_at, now() + hold_ms * interval '1 millisecond', held_by
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::int[], $5::jsonb[], $8::jsonb[], $6::timestamptz[], $7::bigint[], $9::uuid[])
         WITH ORDINALITY AS event (id, type, process_instance_id, sequence, payload, trace_context, occurred_at, hold_ms, held_by, given)
       ORDER BY given`,
      [
        messages.map((message) => message.id),
        messages.map((message) => message.type),
        messages.map((message) => message.processInstanceId),
        messages.map((message) => message.sequence),
        messages.map((message) => JSON.stringify(message)),
        events.map((event) => event.occurredAt),
        events.map((event) => event.holdMs ?? null),
        events.map((event) => traceContextOf(event.cause)),
        events.map((event) => event.heldBy ?? null),
      ],
    );
  }
}

/** The carrier as the column holds it: null, not `{}`, when there is no trace to continue. */
function traceContextOf(cause: EventCause | null): string | null {
  return cause?.traceContext && Object.keys(cause.traceContext).length > 0 ? JSON.stringify(cause.traceContext) : null;
}
