import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, type Repository } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { IdempotencyRecord } from './idempotency-record.entity.js';

export interface StoredAnswer {
  status: number;
  contentType: string;
  location: string | null;
  body: string;
}

export type Claim = { kind: 'claimed' } | { kind: 'replay'; fingerprint: string; answer: StoredAnswer | null };

const DELETE_BATCH = 1_000;

/** The idempotency_keys table: who holds a key, and the answer to replay. */
@Injectable()
export class IdempotencyStore {
  private readonly records: Repository<IdempotencyRecord>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly config: GatewayConfig,
  ) {
    this.records = dataSource.getRepository(IdempotencyRecord);
  }

  /**
   * Takes the key for this request, or says what it was taken for. One INSERT decides between concurrent
   * requests with the same key; an expired record is dropped and the key taken anew.
   */
  async claim(key: string, fingerprint: string): Promise<Claim> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const inserted = await this.records
        .createQueryBuilder()
        .insert()
        .values({ key, fingerprint, expiresAt: () => `now() + make_interval(secs => ${this.config.IDEMPOTENCY_KEY_TTL_MS / 1000})` })
        .orIgnore()
        .returning(['key'])
        .execute();
      if ((inserted.raw as unknown[]).length > 0) return { kind: 'claimed' };
      const existing = await this.records.createQueryBuilder('record').where('record.key = :key', { key }).andWhere('record.expires_at > now()').getOne();
      if (existing) return { kind: 'replay', fingerprint: existing.fingerprint, answer: answerOf(existing) };
      await this.records.createQueryBuilder().delete().where('key = :key AND expires_at <= now()', { key }).execute();
    }
    throw new Error(`Idempotency-Key could not be claimed`);
  }

  async complete(key: string, answer: StoredAnswer): Promise<void> {
    await this.records.update({ key }, { ...answer, completedAt: () => 'now()' });
  }

  /** Gives the key back when the request failed in a way that did nothing the caller must not repeat. */
  async release(key: string): Promise<void> {
    await this.records.delete({ key, status: IsNull() });
  }

  /** Deletes expired keys a batch at a time, so a big backlog never holds one long transaction; returns how many. */
  async deleteExpired(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = this.records.createQueryBuilder('expired').select('expired.key').where('expired.expires_at <= now()').limit(DELETE_BATCH);
      const result = await this.records.createQueryBuilder().delete().where(`key IN (${batch.getQuery()})`).setParameters(batch.getParameters()).execute();
      total += result.affected ?? 0;
      if ((result.affected ?? 0) < DELETE_BATCH) return total;
    }
  }
}

function answerOf(record: IdempotencyRecord): StoredAnswer | null {
  if (record.status === null || record.body === null) return null;
  return { status: record.status, contentType: record.contentType ?? 'application/json', location: record.location, body: record.body };
}
