import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxDeadLetterRecord } from './outbox-dead-letter.entity.js';
import { OutboxRelay } from './outbox-relay.js';

export interface DeadLetterView {
  id: string;
  type: string;
  processInstanceId: string | null;
  sequence: number | null;
  occurredAt: Date;
  queuedAt: Date;
  attempts: number;
  firstFailedAt: Date;
  lastError: string;
  deadLetteredAt: Date;
}

/** Events the broker kept refusing: listed for operators and put back into the outbox on request. */
@Injectable()
export class OutboxDeadLetters {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async list(limit: number): Promise<DeadLetterView[]> {
    const records = await this.dataSource.getRepository(OutboxDeadLetterRecord).find({ order: { deadLetteredAt: 'ASC', position: 'ASC' }, take: limit });
    return records.map(({ payload: _payload, position: _position, traceContext: _traceContext, ...view }) => view);
  }

  /** Re-queues one dead letter (false if there is none with that id), or all of them (the number re-queued). */
  async replay(id: string): Promise<boolean> {
    return (await this.requeue(`WHERE id = $1`, [id])) > 0;
  }

  async replayAll(): Promise<number> {
    return this.requeue('', []);
  }

  /**
   * Moves rows back into the outbox in one statement, with their original position so each goes out ahead of its
   * instance's rows still waiting, and with a fresh queue time and attempt count.
   */
  private async requeue(where: string, parameters: unknown[]): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH moved AS (DELETE FROM outbox_dead_letters ${where} RETURNING *)
       INSERT INTO outbox_events (id, position, type, process_instance_id, sequence, payload, trace_context, occurred_at, queued_at)
       SELECT id, position, type, process_instance_id, sequence, payload, trace_context, occurred_at, now() FROM moved
       RETURNING id`,
      parameters,
    );
    if (rows.length > 0) this.relay.kick();
    return rows.length;
  }
}
