import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { IdempotencyStore } from './idempotency-store.js';

const CLEANUP_INTERVAL_MS = 10 * 60_000;

/** Deletes expired Idempotency-Keys now and then; expired ones are already ignored, this only reclaims the space. */
@Injectable()
export class IdempotencyJanitor {
  private readonly logger = new Logger(IdempotencyJanitor.name);

  constructor(private readonly store: IdempotencyStore) {}

  @Interval(CLEANUP_INTERVAL_MS)
  async deleteExpired(): Promise<void> {
    try {
      const deleted = await this.store.deleteExpired();
      if (deleted > 0) this.logger.log(`Deleted ${deleted} expired Idempotency-Key(s)`);
    } catch (error) {
      this.logger.warn(`Could not delete expired Idempotency-Keys: ${(error as Error).message}`);
    }
  }
}
