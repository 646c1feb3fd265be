import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxRelay } from './outbox-relay.js';

/** Settles events written held (OutboxWriter, `heldUntil`): publish them now, or never. */
@Injectable()
export class HeldEvents {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  async release(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE outbox_events SET held_until = NULL WHERE id = ANY($1::uuid[]) AND held_until IS NOT NULL`, [ids]);
    this.relay.kick();
  }

  /** Deletes those not published yet; a hold that already ran out has been published and stays. */
  async discard(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`DELETE FROM outbox_events WHERE id = ANY($1::uuid[]) AND published_at IS NULL AND held_until > now()`, [ids]);
  }
}
