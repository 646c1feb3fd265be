import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventMessage, InstanceEvent } from './event-types.js';

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
      data: event.data,
    }));
    // One statement for any number of events; rows are inserted in the order given, so `position`, the order
    // consumers see, follows it.
    await manager.query(
      `INSERT INTO outbox_events (id, type, process_instance_id, sequence, payload, occurred_at, held_until)
       SELECT id, type, process_instance_id, sequence, payload, occurred_at, held_until
       FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::int[], $5::jsonb[], $6::timestamptz[], $7::timestamptz[])
         WITH ORDINALITY AS event (id, type, process_instance_id, sequence, payload, occurred_at, held_until, given)
       ORDER BY given`,
      [
        messages.map((message) => message.id),
        messages.map((message) => message.type),
        messages.map((message) => message.processInstanceId),
        messages.map((message) => message.sequence),
        messages.map((message) => JSON.stringify(message)),
        events.map((event) => event.occurredAt),
        events.map((event) => event.heldUntil ?? null),
      ],
    );
  }
}
