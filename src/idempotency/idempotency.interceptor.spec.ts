import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { lastValueFrom, of, throwError } from 'rxjs';
import { CamundaError, CamundaErrorCode } from '../camunda/camunda.errors.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { callerScopedKey, requestFingerprint } from './idempotency-key.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import type { Claim, IdempotencyStore, StoredAnswer } from './idempotency-store.js';
import { UnrecordedAnswers } from './unrecorded-answers.js';

/** The store's side of the protocol, in memory: what was completed and what was released. */
class FakeStore {
  readonly completed: StoredAnswer[] = [];
  readonly released: string[] = [];
  constructor(private readonly claimAnswer: Claim = { kind: 'claimed' }) {}
  async claim(): Promise<Claim> {
    return this.claimAnswer;
  }
  async complete(_key: string, answer: StoredAnswer): Promise<void> {
    this.completed.push(answer);
  }
  async release(key: string): Promise<void> {
    this.released.push(key);
  }
}

const URL = '/tasks/t1/complete';
const BODY = { variables: {} };

function httpContext(headers: Record<string, string>, statusCode = 200) {
  const calls: string[] = [];
  const response = {
    statusCode,
    calls,
    headers: {} as Record<string, string>,
    getHeader: (name: string) => response.headers[name],
    setHeader: (name: string, value: string) => ((response.headers[name] = value), response),
    status: (code: number) => (calls.push(`status ${code}`), response),
    type: (type: string) => (calls.push(`type ${type}`), response),
    location: (url: string) => (calls.push(`location ${url}`), response),
  };
  const request = { method: 'POST', originalUrl: URL, headers, body: BODY, caller: { identity: { issuer: 'https://idp.example', localId: 'alice' } } };
  const context = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ExecutionContext;
  return { context, response };
}

const handler = (run: () => ReturnType<CallHandler['handle']>): CallHandler => ({ handle: run });

describe('IdempotencyInterceptor', () => {
  it('leaves requests without the header alone', async () => {
    const store = new FakeStore();
    const { context } = httpContext({});
    await expect(
      lastValueFrom(
        new IdempotencyInterceptor(store as unknown as IdempotencyStore, new UnrecordedAnswers(store as unknown as IdempotencyStore)).intercept(
          context,
          handler(() => of({ ok: true })),
        ),
      ),
    ).resolves.toEqual({ ok: true });
    expect(store.completed).toEqual([]);
  });

  it('stores a 2xx answer with its status and body', async () => {
    const store = new FakeStore();
    const { context } = httpContext({ 'idempotency-key': 'k1' }, 200);
    await lastValueFrom(
      new IdempotencyInterceptor(store as unknown as IdempotencyStore, new UnrecordedAnswers(store as unknown as IdempotencyStore)).intercept(
        context,
        handler(() => of({ id: 't1' })),
      ),
    );
    expect(store.completed).toEqual([{ status: 200, contentType: 'application/json', location: null, body: '{"id":"t1"}' }]);
  });

  it('stores a 4xx answer as the problem the caller got', async () => {
    const store = new FakeStore();
    const { context } = httpContext({ 'idempotency-key': 'k1' });
    const failing = handler(() => throwError(() => new GatewayError(GatewayErrorCode.ResourceNotFound, "Task 't1' does not exist")));
    await expect(
      lastValueFrom(
        new IdempotencyInterceptor(store as unknown as IdempotencyStore, new UnrecordedAnswers(store as unknown as IdempotencyStore)).intercept(
          context,
          failing,
        ),
      ),
    ).rejects.toBeInstanceOf(GatewayError);
    expect(store.completed).toHaveLength(1);
    expect(store.completed[0]).toMatchObject({ status: 404, contentType: 'application/problem+json' });
    expect(JSON.parse(store.completed[0].body)).toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
  });

  it('releases the key after a 5xx, so the retry the caller is told to make can run', async () => {
    const store = new FakeStore();
    const { context } = httpContext({ 'idempotency-key': 'k1' });
    const failing = handler(() => throwError(() => new CamundaError(CamundaErrorCode.Unavailable, 'engine unreachable')));
    await expect(
      lastValueFrom(
        new IdempotencyInterceptor(store as unknown as IdempotencyStore, new UnrecordedAnswers(store as unknown as IdempotencyStore)).intercept(
          context,
          failing,
        ),
      ),
    ).rejects.toBeInstanceOf(CamundaError);
    expect(store.released).toEqual([callerScopedKey('https://idp.example\nalice', 'k1')]);
    expect(store.completed).toEqual([]);
  });

  it('keeps an answer it could not store and stores it once the database is back', async () => {
    const store = new FakeStore();
    const unrecorded = new UnrecordedAnswers(store as unknown as IdempotencyStore);
    let databaseUp = false;
    const complete = store.complete.bind(store);
    store.complete = async (key, answer) => (databaseUp ? complete(key, answer) : Promise.reject(new Error('Connection terminated')));
    const { context } = httpContext({ 'idempotency-key': 'k1' }, 202);

    await expect(
      lastValueFrom(
        new IdempotencyInterceptor(store as unknown as IdempotencyStore, unrecorded).intercept(
          context,
          handler(() => of({ id: 't1', mirrored: false })),
        ),
      ),
    ).resolves.toEqual({ id: 't1', mirrored: false });
    await unrecorded.flush();
    expect(unrecorded.size).toBe(1);
    databaseUp = true;
    await unrecorded.flush();

    expect(unrecorded.size).toBe(0);
    expect(store.completed).toEqual([{ status: 202, contentType: 'application/json', location: null, body: '{"id":"t1","mirrored":false}' }]);
  });

  it('replays a stored answer without running the handler', async () => {
    const answer: StoredAnswer = { status: 201, contentType: 'application/json', location: '/process-instances/p1', body: '{"id":"p1"}' };
    const store = new FakeStore({ kind: 'replay', fingerprint: requestFingerprint('POST', URL, BODY), answer });
    const { context, response } = httpContext({ 'idempotency-key': 'k1' });
    let ran = false;
    const value = await lastValueFrom(
      new IdempotencyInterceptor(store as unknown as IdempotencyStore, new UnrecordedAnswers(store as unknown as IdempotencyStore)).intercept(
        context,
        handler(() => ((ran = true), of(null))),
      ),
    );

    expect(value).toEqual({ id: 'p1' });
    expect(ran).toBe(false);
    expect(response.calls).toEqual(['status 201', 'type application/json', 'location /process-instances/p1']);
    expect(response.headers['Idempotent-Replayed']).toBe('true');
  });
});
