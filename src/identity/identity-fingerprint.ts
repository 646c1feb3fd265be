import { createHash } from 'node:crypto';
import type { TokenIdentity } from './caller.js';

/** What of an identity its Camunda user depends on: a change in any of it provisions the user again. */
export function identityFingerprint(identity: TokenIdentity): string {
  const grants = [...new Set(identity.grants.map((grant) => `${grant.workspace}\n${grant.role}`))].sort();
  return createHash('sha256')
    .update(JSON.stringify([identity.kind, identity.username, identity.name, identity.email, grants]))
    .digest('hex');
}

export function identityKey(identity: Pick<TokenIdentity, 'issuer' | 'localId'>): string {
  return `${identity.issuer}\n${identity.localId}`;
}
