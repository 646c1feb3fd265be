import { Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { IdempotencyStore, type StoredAnswer } from './idempotency-store.js';

const RETRY_INTERVAL_MS = 2_000;
// Answers are small, but an outage must not grow this without bound; past it the oldest keys stay "in progress".
const MAX_UNRECORDED = 10_000;

/**
 * Answers that could not be stored when their command finished (the database was cut after the engine accepted).
 * They are stored as soon as the database is back, so replays get the first answer instead of a lasting 409.
 * Held in memory: if the process ends first, those keys answer 409 until they expire.
 */
@Injectable()
export class UnrecordedAnswers {
  private readonly logger = new Logger(UnrecordedAnswers.name);
  private readonly answers = new Map<string, StoredAnswer>();
  private flushing = false;

  constructor(private readonly store: IdempotencyStore) {}

  add(key: string, answer: StoredAnswer): void {
    if (this.answers.size >= MAX_UNRECORDED) {
      const oldest = this.answers.keys().next().value!;
      this.answers.delete(oldest);
      this.logger.warn('Too many unrecorded Idempotency-Key answers; the oldest is dropped and answers 409 until it expires');
    }
    this.answers.set(key, answer);
  }

  get size(): number {
    return this.answers.size;
  }

  @Interval(RETRY_INTERVAL_MS)
  async flush(): Promise<void> {
    if (this.flushing || this.answers.size === 0) return;
    this.flushing = true;
    try {
      for (const [key, answer] of this.answers) {
        await this.store.complete(key, answer);
        this.answers.delete(key);
      }
    } catch {
      // Still unreachable: the next interval tries again.
    } finally {
      this.flushing = false;
    }
  }
}
