import type { JWTPayload } from 'jose';
import type { GatewayConfig } from '../config/gateway-config.js';
import { isWorkspaceGrant, Role, type Grant, type TokenIdentity } from '../identity/caller.js';

const ROLES = new Set<string>(Object.values(Role));
const MAX_CLAIM_LENGTH = 255;

export type ClaimSettings = Pick<
  GatewayConfig,
  | 'AUTH_CLAIM_USER_ID'
  | 'AUTH_CLAIM_USERNAME'
  | 'AUTH_CLAIM_NAME'
  | 'AUTH_CLAIM_EMAIL'
  | 'AUTH_CLAIM_ROLES'
  | 'AUTH_CLAIM_WORKSPACES'
  | 'AUTH_CLAIM_CLIENT_ID'
  | 'AUTH_SERVICE_ACCOUNTS'
>;

/** The caller a verified token describes, or null when it lacks a usable user id. */
export function identityFromClaims(payload: JWTPayload, issuer: string, settings: ClaimSettings): TokenIdentity | null {
  const localId = text(claim(payload, settings.AUTH_CLAIM_USER_ID));
  if (!localId) return null;
  const clientId = text(claim(payload, settings.AUTH_CLAIM_CLIENT_ID));
  const account = clientId && Object.hasOwn(settings.AUTH_SERVICE_ACCOUNTS, clientId) ? settings.AUTH_SERVICE_ACCOUNTS[clientId] : undefined;
  if (account) {
    const grants = account.workspaces.flatMap((workspace) => account.roles.map((role) => ({ workspace, role })));
    return { kind: 'service', issuer, localId, username: clientId, name: clientId, email: null, grants };
  }
  return {
    kind: 'user',
    issuer,
    localId,
    username: text(claim(payload, settings.AUTH_CLAIM_USERNAME)),
    name: text(claim(payload, settings.AUTH_CLAIM_NAME)),
    email: text(claim(payload, settings.AUTH_CLAIM_EMAIL)),
    grants: grantsFrom(list(claim(payload, settings.AUTH_CLAIM_ROLES)), list(claim(payload, settings.AUTH_CLAIM_WORKSPACES))),
  };
}

/**
 * Roles apply in every workspace of the caller; a role written `workspace:role` applies in that workspace only.
 * Unknown roles and malformed workspace ids are ignored: they grant nothing.
 */
function grantsFrom(roles: string[], workspaces: string[]): Grant[] {
  const validWorkspaces = workspaces.filter(isWorkspaceGrant);
  const grants = new Map<string, Grant>();
  const add = (workspace: string, role: string) => {
    if (ROLES.has(role) && isWorkspaceGrant(workspace)) grants.set(`${workspace}\n${role}`, { workspace, role: role as Role });
  };
  for (const entry of roles) {
    const separator = entry.lastIndexOf(':');
    if (separator > 0) add(entry.slice(0, separator), entry.slice(separator + 1));
    else for (const workspace of validWorkspaces) add(workspace, entry);
  }
  return [...grants.values()];
}

function claim(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_CLAIM_LENGTH ? value : null;
}

/** An array of strings, or a space-separated string (as OAuth's `scope` is written). */
function list(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.length <= MAX_CLAIM_LENGTH) : [];
}
