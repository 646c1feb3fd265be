import { createHash } from 'node:crypto';
import type { TokenIdentity } from './caller.js';

// Camunda's default id whitelist: the engine answers HTTP 500 for an id with anything else in it.
const ENGINE_ID = /^[a-zA-Z0-9]{1,64}$/;
const READABLE_PART_LENGTH = 16;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The Camunda user id of an identity: `gw`, a readable part of its name, and a hash of issuer and local id.
 * The `gw` prefix with a hash suffix cannot meet an operator's own engine account (`demo`, `admin`), and two
 * issuers' users with one local id stay apart. Derived once and stored: a later rename does not change it.
 */
export function camundaUserIdFor(identity: Pick<TokenIdentity, 'issuer' | 'localId' | 'username'>): string {
  const readable = (identity.username ?? identity.localId)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, READABLE_PART_LENGTH);
  return `gw${readable}${sha256Hex(`${identity.issuer}\n${identity.localId}`).slice(0, 16)}`;
}

/** A workspace id the engine accepts as a tenant id is used as it is; any other maps to a hash of it. */
export function tenantIdFor(workspaceId: string): string {
  return ENGINE_ID.test(workspaceId) ? workspaceId : `ws${sha256Hex(workspaceId).slice(0, 20)}`;
}
