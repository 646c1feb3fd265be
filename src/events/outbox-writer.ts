import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventMessage, InstanceEvent } from './event-types.js';

/** Appends events to the outbox inside the caller's transaction, so an event exists exactly when its change does. */
@Injectable()
export class OutboxWriter {
  async append(manager: EntityManager, events: InstanceEvent[]): Promise<void> {
    if (events.length === 0) return;
    // One row at a time keeps `position` in the order given, which is the order consumers see.
    for (const event of events) {
      const message: EventMessage = {
        id: randomUUID(),
        type: event.type,
        time: event.occurredAt.toISOString(),
        sequence: event.sequence,
        processInstanceId: event.processInstanceId,
        businessKey: event.businessKey,
        processDefinitionKey: event.processDefinitionKey,
        tenantId: event.tenantId,
        actor: event.actor,
        data: event.data,
      };
      await manager.query(
        `INSERT INTO outbox_events (id, type, process_instance_id, sequence, payload, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [message.id, message.type, message.processInstanceId, message.sequence, JSON.stringify(message), event.occurredAt],
      );
    }
  }
}
