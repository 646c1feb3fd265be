import { GatewayError } from '../problem/gateway-error.js';
import { callerScopedKey, idempotencyKeyOf, requestFingerprint } from './idempotency-key.js';

describe('Idempotency-Key header', () => {
  it('is optional', () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
  });

  it('takes keys such as UUIDs as they are', () => {
    expect(idempotencyKeyOf('6f1c8a4e-1d2b-4c3a-9e8f-7a6b5c4d3e2f')).toBe('6f1c8a4e-1d2b-4c3a-9e8f-7a6b5c4d3e2f');
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['with a control character', 'key\tone'],
    ['with non-ASCII characters', 'clé'],
  ])('refuses a key that is %s with a 400 naming the header', (_, key) => {
    expect(() => idempotencyKeyOf(key)).toThrow(GatewayError);
    try {
      idempotencyKeyOf(key);
    } catch (error) {
      expect((error as GatewayError).fieldErrors[0]?.field).toBe('Idempotency-Key');
    }
  });
});

describe('request fingerprint', () => {
  it('does not depend on the order of keys in the body', () => {
    expect(requestFingerprint('POST', '/messages', { a: 1, b: { c: [1, 2], d: null } })).toBe(
      requestFingerprint('POST', '/messages', { b: { d: null, c: [1, 2] }, a: 1 }),
    );
  });

  it.each([
    ['the body', 'POST', '/messages', { a: 2 }],
    ['the path', 'POST', '/signals', { a: 1 }],
    ['the query', 'POST', '/messages?x=1', { a: 1 }],
    ['a value type', 'POST', '/messages', { a: '1' }],
  ])('changes with %s', (_, method, url, body) => {
    expect(requestFingerprint(method, url, body)).not.toBe(requestFingerprint('POST', '/messages', { a: 1 }));
  });

  it('keeps callers apart: the same key of another caller is another key, the same request in another workspace another request', () => {
    expect(callerScopedKey('issuer\nalice', 'k1')).not.toBe(callerScopedKey('issuer\nbob', 'k1'));
    expect(callerScopedKey('issuer\nalice', 'k1')).toBe(callerScopedKey('issuer\nalice', 'k1'));
    expect(requestFingerprint('POST', '/messages', { a: 1 }, 'acme')).not.toBe(requestFingerprint('POST', '/messages', { a: 1 }, 'globex'));
  });
});
