import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventMessage, InstanceEvent } from './event-types.js';
import { OutboxEventRecord } from './outbox-event.entity.js';

/** Appends events to the outbox inside the caller's transaction, so an event exists exactly when its change does. */
@Injectable()
export class OutboxWriter {
  async append(manager: EntityManager, events: InstanceEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((event) => {
      const id = randomUUID();
      const message: EventMessage = {
        id,
        type: event.type,
        time: event.occurredAt.toISOString(),
        sequence: event.sequence,
        processInstanceId: event.processInstanceId,
        businessKey: event.businessKey,
        processDefinitionKey: event.processDefinitionKey,
        data: event.data,
      };
      return manager.create(OutboxEventRecord, {
        id,
        type: event.type,
        processInstanceId: event.processInstanceId,
        sequence: event.sequence,
        payload: message as unknown as Record<string, unknown>,
        occurredAt: event.occurredAt,
      });
    });
    // One row at a time keeps `position` in the order given, which is the order consumers see.
    for (const row of rows) await manager.insert(OutboxEventRecord, row);
  }
}
