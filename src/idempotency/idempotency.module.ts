import { Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyJanitor } from './idempotency-janitor.js';
import { IdempotencyStore } from './idempotency-store.js';
import { UnrecordedAnswers } from './unrecorded-answers.js';

/** Idempotency-Key support for every POST; http-app.ts installs the interceptor globally. */
@Module({
  providers: [IdempotencyStore, IdempotencyInterceptor, IdempotencyJanitor, UnrecordedAnswers],
  exports: [IdempotencyInterceptor, IdempotencyStore],
})
export class IdempotencyModule {}
