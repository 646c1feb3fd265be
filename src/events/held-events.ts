import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxRelay } from './outbox-relay.js';

/** Releases events written held (OutboxWriter, `holdMs`) once their external task's completion was accepted. */
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
}
