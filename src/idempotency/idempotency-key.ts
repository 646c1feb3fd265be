import { createHash } from 'node:crypto';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const MAX_KEY_LENGTH = 255;
// Visible ASCII and spaces: what a generated key (a UUID, a hash) looks like, and nothing a log or header could mangle.
const KEY_PATTERN = /^[\x20-\x7e]+$/;

/** The header's value as a key, or a 400 naming the header; undefined when the request has none. */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(', ') : header;
  const problems = [
    ...(value.trim() === '' ? ['must not be empty'] : []),
    ...(value.length > MAX_KEY_LENGTH ? [`must be at most ${MAX_KEY_LENGTH} characters`] : []),
    ...(value !== '' && !KEY_PATTERN.test(value) ? ['must consist of printable ASCII characters'] : []),
  ];
  if (problems.length > 0) {
    throw new GatewayError(GatewayErrorCode.ValidationFailed, `Invalid ${IDEMPOTENCY_HEADER} header`, [{ field: IDEMPOTENCY_HEADER, messages: problems }]);
  }
  return value;
}

/**
 * The key as stored: one caller's keys are their own, so another caller's equal key neither replays their answer
 * nor tells that it is in use.
 */
export function callerScopedKey(callerId: string, key: string): string {
  return createHash('sha256').update(`${callerId}\n${key}`).digest('hex');
}

/**
 * What makes two requests "the same": method, path with query, the workspace, and the JSON body with its keys sorted. Multipart
 * bodies are parsed only later, by the route, so for them the key stands for method and path alone.
 */
export function requestFingerprint(method: string, url: string, body: unknown, workspace = ''): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${workspace}\n${canonicalJson(body)}`)
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
