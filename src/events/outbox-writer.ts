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
   * Lets go of an instance's still-held events for the attempt `heldBy`: an event another attempt holds too (a
   * redelivery of the task) stays, held by that one; one nobody else holds is deleted, and the gap it leaves in the
   * instance's `sequence` is closed: its later events (all unpublished, since they wait behind a held one) move down.
   * Returns how many were deleted. Runs under the instance's lock (MirrorApplier), so no refresh numbers events
   * meanwhile. held_by is null on rows held before it existed: those are anyone's to discard, as they were then.
   */
  async discardHeld(manager: EntityManager, processInstanceId: string, ids: string[], heldBy: string): Promise<number> {
    if (ids.length === 0) return 0;
    const stillHeld = `id = ANY($2::uuid[]) AND process_instance_id = $1 AND published_at IS NULL AND held_until > now()`;
    await manager.query(
      `UPDATE outbox_events SET held_by = array_remove(held_by, $3::uuid) WHERE ${stillHeld} AND $3::uuid = ANY(held_by) AND cardinality(held_by) > 1`,
      [processInstanceId, ids, heldBy],
    );
    const [{ removed }] = await manager.query<[{ removed: number }]>(
      `WITH removed AS (
         DELETE FROM outbox_events WHERE ${stillHeld} AND (held_by IS NULL OR held_by = ARRAY[$3::uuid])
         RETURNING id, sequence),
       shifted AS (
         UPDATE outbox_events event
            SET sequence = event.sequence - later.below,
                payload = jsonb_set(event.payload, '{sequence}', to_jsonb(event.sequence - later.below))
           FROM (SELECT o.id, (SELECT count(*) FROM removed WHERE removed.sequence < o.sequence)::int AS below
                   FROM outbox_events o
                  WHERE o.process_instance_id = $1 AND o.published_at IS NULL AND o.id NOT IN (SELECT id FROM removed)) AS later
          WHERE event.id = later.id AND later.below > 0)
       SELECT count(*)::int AS removed FROM removed`,
      [processInstanceId, ids, heldBy],
    );
    return removed;
  }

  /**
   * A redelivered task's events, written by an earlier attempt and still held: this attempt holds them too, for as
   * long as it holds them. Released, published or expired ones (the relay may be publishing those) stay as they are.
   */
  async holdAlso(manager: EntityManager, processInstanceId: string, events: { id: string; heldBy: string; holdMs: number }[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `UPDATE outbox_events event
          SET held_by = CASE WHEN taken.held_by = ANY(event.held_by) THEN event.held_by ELSE array_append(COALESCE(event.held_by, '{}'), taken.held_by) END,
              held_until = GREATEST(event.held_until, now() + taken.hold_ms * interval '1 millisecond')
         FROM unnest($2::uuid[], $3::uuid[], $4::bigint[]) AS taken (id, held_by, hold_ms)
        WHERE event.id = taken.id AND event.process_instance_id = $1 AND event.published_at IS NULL AND event.held_until > now()`,
      [processInstanceId, events.map((event) => event.id), events.map((event) => event.heldBy), events.map((event) => event.holdMs)],
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
       SELECT id, type, process_instance_id, sequence, payload, trace_context, occurred_at, now() + hold_ms * interval '1 millisecond',
              CASE WHEN held_by IS NULL THEN NULL ELSE ARRAY[held_by] END
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
