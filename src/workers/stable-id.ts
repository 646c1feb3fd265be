import { createHash } from 'node:crypto';

// The gateway's own namespace for name-based UUIDs (RFC 9562 version 5).
const NAMESPACE = Buffer.from('6f0c1d52b7a94b0c9a8e3c51d2f4a7e1', 'hex');

/** The same UUID for the same name, every time: what makes an event idempotent across redeliveries. */
export function stableUuid(name: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
