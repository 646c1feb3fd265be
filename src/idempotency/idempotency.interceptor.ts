import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, of, type Observable } from 'rxjs';
import type { IdentifiedRequest } from '../http/request-id.js';
import { ProblemDetailsFilter } from '../problem/problem-details.filter.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { callerScopedKey, IDEMPOTENCY_HEADER, idempotencyKeyOf, requestFingerprint } from './idempotency-key.js';
import { WORKSPACE_HEADER, type ScopedRequest } from '../auth/access-scope.js';
import { IdempotencyStore, type StoredAnswer } from './idempotency-store.js';
import { UnrecordedAnswers } from './unrecorded-answers.js';

const REPLAYED_HEADER = 'Idempotent-Replayed';
const IN_PROGRESS_RETRY_AFTER_S = 2;

/**
 * Makes every POST safe to retry with an Idempotency-Key: the first request's answer (status, body, Location) is
 * stored, a replay gets it back without running the command again. Answers the caller should see again (2xx,
 * 4xx) are kept; after a 5xx the key is released, since the retry is what the caller is told to do.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);
  private readonly problems = new ProblemDetailsFilter();

  constructor(
    private readonly store: IdempotencyStore,
    private readonly unrecorded: UnrecordedAnswers,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (request.method !== 'POST') return next.handle();
    const header = idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER.toLowerCase()]);
    if (header === undefined) return next.handle();
    // Routes with an Idempotency-Key are never public: the guard has authenticated the caller.
    const { identity } = (request as ScopedRequest).caller!;
    const key = callerScopedKey(`${identity.issuer}\n${identity.localId}`, header);
    const fingerprint = requestFingerprint(request.method, request.originalUrl, request.body, String(request.headers[WORKSPACE_HEADER] ?? ''));
    return from(this.store.claim(key, fingerprint)).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'claimed') return this.runAndRecord(key, request, response, next);
        if (claim.fingerprint !== fingerprint) {
          throw new GatewayError(GatewayErrorCode.IdempotencyKeyReused, `This ${IDEMPOTENCY_HEADER} was already used for a different request`);
        }
        if (!claim.answer) {
          response.setHeader('Retry-After', String(IN_PROGRESS_RETRY_AFTER_S));
          throw new GatewayError(
            GatewayErrorCode.IdempotencyKeyInProgress,
            `The first request with this ${IDEMPOTENCY_HEADER} has not finished (or its answer could not be recorded); retry later`,
          );
        }
        return of(replay(claim.answer, response));
      }),
    );
  }

  private runAndRecord(key: string, request: Request, response: Response, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await this.record(key, {
          status: response.statusCode,
          contentType: 'application/json',
          location: (response.getHeader('Location') as string | undefined) ?? null,
          body: JSON.stringify(value ?? null),
        });
        return value;
      }),
      catchError(async (error: unknown) => {
        const problem = this.problems.toProblem(error, request.originalUrl, (request as IdentifiedRequest).requestId);
        if (problem.status < 500) {
          await this.record(key, { status: problem.status, contentType: 'application/problem+json', location: null, body: JSON.stringify(problem) });
        } else {
          await this.store
            .release(key)
            .catch((releaseError: Error) => this.logger.warn(`Could not release ${IDEMPOTENCY_HEADER} after a ${problem.status}: ${releaseError.message}`));
        }
        throw error;
      }),
    );
  }

  /** The command has run: an answer that cannot be stored must not turn it into a failure; it is stored later. */
  private async record(key: string, answer: StoredAnswer): Promise<void> {
    try {
      await this.store.complete(key, answer);
    } catch (error) {
      this.logger.warn(`Could not record the answer for an ${IDEMPOTENCY_HEADER} (${(error as Error).message}); replays get 409 until it is recorded`);
      this.unrecorded.add(key, answer);
    }
  }
}

function replay(answer: StoredAnswer, response: Response): unknown {
  response.status(answer.status).type(answer.contentType).setHeader(REPLAYED_HEADER, 'true');
  if (answer.location) response.location(answer.location);
  return JSON.parse(answer.body);
}
