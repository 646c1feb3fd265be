import { randomUUID } from 'node:crypto';
import { forgetAllTokens, forgetUserTokens } from './keycloak-token-cache.js';
import { type IssuedToken, keycloak, requestToken } from './keycloak-token-endpoint.js';
import { testEnv } from './test-env.js';

// Master-realm admin tokens live 60 s: take a fresh one well before that.
const ADMIN_TOKEN_MIN_REMAINING_MS = 20_000;
let adminToken: Promise<IssuedToken> | undefined;

async function adminAccessToken(): Promise<string> {
  const current = await adminToken?.catch(() => undefined);
  if (current !== undefined && current.expiresAt - Date.now() >= ADMIN_TOKEN_MIN_REMAINING_MS) return current.accessToken;
  adminToken = requestToken(
    { grant_type: 'password', client_id: 'admin-cli', username: testEnv.keycloakAdminUser, password: testEnv.keycloakAdminPassword },
    keycloak.url,
    'master',
  );
  return (await adminToken).accessToken;
}

class KeycloakAdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The admin REST API of the test realm; `path` is relative to /admin/realms/<realm>. */
async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${keycloak.url}/admin/realms/${encodeURIComponent(keycloak.realm)}${path}`, {
    method,
    headers: { authorization: `Bearer ${await adminAccessToken()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new KeycloakAdminError(response.status, `Keycloak admin ${method} ${path}: ${response.status} ${await response.text()}`);
  return response;
}

async function adminJson<T>(path: string): Promise<T> {
  return (await (await admin('GET', path)).json()) as T;
}

/** The id Keycloak gives what a POST created, from its Location header. */
function createdId(response: Response): string {
  const location = response.headers.get('location');
  if (location === null) throw new Error('Keycloak created something without a Location');
  return location.slice(location.lastIndexOf('/') + 1);
}

export interface KeycloakUser {
  id: string;
  username: string;
}

interface RoleRepresentation {
  id: string;
  name: string;
}

interface UserRepresentation {
  id: string;
  username: string;
  attributes?: Record<string, string[]>;
}

// Admin changes go by id; the token cache goes by user name.
const usernamesById = new Map<string, string>();

function changedUser(id: string): void {
  const username = usernamesById.get(id);
  if (username !== undefined) forgetUserTokens(username);
}

/**
 * A user of the test realm with password = user name. Only the realm's gateway roles (requester, approver,
 * operator, admin) reach gateway-cli tokens: the client's scope is limited to them.
 */
export async function createUser(user: {
  username: string;
  workspaces: string[];
  roles: string[];
  email?: string;
  firstName?: string;
  lastName?: string;
}): Promise<KeycloakUser> {
  const response = await admin('POST', '/users', {
    username: user.username,
    enabled: true,
    // A profile Keycloak considers complete, or the password grant answers "account is not fully set up".
    email: user.email ?? `${user.username}@example.test`,
    emailVerified: true,
    firstName: user.firstName ?? user.username,
    lastName: user.lastName ?? 'Tester',
    attributes: { workspaces: user.workspaces },
    credentials: [{ type: 'password', value: user.username, temporary: false }],
  });
  const created = { id: createdId(response), username: user.username.toLowerCase() };
  usernamesById.set(created.id, created.username);
  await setRealmRoles(created.id, user.roles);
  return created;
}

export async function deleteUser(id: string): Promise<void> {
  await admin('DELETE', `/users/${id}`);
  changedUser(id);
  usernamesById.delete(id);
}

/** Replaces the named attributes (e.g. { workspaces: ['globex'] }), keeping the others. */
export async function setUserAttributes(id: string, attributes: Record<string, string[]>): Promise<void> {
  const user = await adminJson<UserRepresentation>(`/users/${id}`);
  await admin('PUT', `/users/${id}`, { ...user, attributes: { ...user.attributes, ...attributes } });
  changedUser(id);
}

export async function userAttributes(id: string): Promise<Record<string, string[]>> {
  return (await adminJson<UserRepresentation>(`/users/${id}`)).attributes ?? {};
}

/** Makes `roles` the user's realm roles, besides the realm's default role every user has. */
export async function setRealmRoles(id: string, roles: string[]): Promise<void> {
  const assigned = await adminJson<RoleRepresentation[]>(`/users/${id}/role-mappings/realm`);
  const dropped = assigned.filter((role) => !roles.includes(role.name) && role.name !== `default-roles-${keycloak.realm}`);
  const added = await Promise.all(
    roles.filter((name) => !assigned.some((role) => role.name === name)).map((name) => adminJson<RoleRepresentation>(`/roles/${encodeURIComponent(name)}`)),
  );
  if (dropped.length > 0) await admin('DELETE', `/users/${id}/role-mappings/realm`, dropped);
  if (added.length > 0) await admin('POST', `/users/${id}/role-mappings/realm`, added);
  changedUser(id);
}

interface KeyMetadata {
  kid: string;
  providerId: string;
  providerPriority: number;
  algorithm: string;
  status: string;
}

export interface RotatedSigningKey {
  kid: string;
  /**
   * Stops signing with it but keeps it in the JWKS, so tokens it signed stay verifiable (safe for other suites);
   * a later rotateSigningKey removes it once no unexpired token can be signed with it.
   */
  retire(): Promise<void>;
  /** Deletes it: it leaves the JWKS, and tokens it signed can no longer be verified. */
  remove(): Promise<void>;
}

/**
 * A new RS256 key that outranks every other, so tokens issued from now on carry its kid. The realm is shared by
 * every test file and every gateway on this machine: retire() or remove() it when done. Until then all new tokens,
 * other suites' included, are signed with it, so remove() is only for keys no one else can have been handed.
 */
export async function rotateSigningKey(): Promise<RotatedSigningKey> {
  const { id: realmId } = await adminJson<{ id: string }>('');
  await removeLongRetiredKeys(realmId);
  const { keys } = await adminJson<{ keys: KeyMetadata[] }>('/keys');
  const priority = Math.max(0, ...keys.map((key) => key.providerPriority)) + 1;
  const componentId = createdId(
    await admin('POST', '/components', {
      name: `e2e-rotated-${randomUUID()}`,
      providerId: 'rsa-generated',
      providerType: 'org.keycloak.keys.KeyProvider',
      parentId: realmId,
      config: { priority: [String(priority)], enabled: ['true'], active: ['true'], algorithm: ['RS256'], keySize: ['2048'] },
    }),
  );
  const created = (await adminJson<{ keys: KeyMetadata[] }>('/keys')).keys.find((key) => key.providerId === componentId);
  if (created === undefined) throw new Error(`Keycloak lists no key for the new key provider ${componentId}`);
  return {
    kid: created.kid,
    retire: async () => {
      // Sent back as read: the private key comes masked, which Keycloak takes as "unchanged" (without it, a new key).
      const stored = await adminJson<{ config: Record<string, string[]> }>(`/components/${componentId}`);
      const retired = { ...stored, name: `${RETIRED_KEY_PREFIX}${Date.now()}`, config: { ...stored.config, active: ['false'] } };
      await admin('PUT', `/components/${componentId}`, retired);
    },
    remove: async () => {
      await admin('DELETE', `/components/${componentId}`);
      forgetAllTokens();
    },
  };
}

const RETIRED_KEY_PREFIX = 'e2e-retired-';
// The realm's access token lifespan, and a minute: no unexpired token can still be signed with such a key.
const RETIRED_KEY_REMOVABLE_AFTER_MS = 31 * 60_000;

/** Keeps the retired keys of earlier runs from piling up in the dev realm's JWKS. */
async function removeLongRetiredKeys(realmId: string): Promise<void> {
  const providers = await adminJson<{ id: string; name: string }[]>(`/components?parent=${realmId}&type=org.keycloak.keys.KeyProvider`);
  for (const provider of providers) {
    if (!provider.name.startsWith(RETIRED_KEY_PREFIX)) continue;
    const retiredAt = Number(provider.name.slice(RETIRED_KEY_PREFIX.length));
    if (Date.now() - retiredAt < RETIRED_KEY_REMOVABLE_AFTER_MS) continue;
    // Another run may be removing it too.
    await admin('DELETE', `/components/${provider.id}`).catch((error: unknown) => {
      if (!(error instanceof KeycloakAdminError && error.status === 404)) throw error;
    });
  }
}

interface ClientRepresentation {
  id: string;
  clientId: string;
  protocolMappers?: { name: string; protocolMapper: string; protocol: string; config: Record<string, string> }[];
}

async function clientByClientId(clientId: string): Promise<ClientRepresentation | undefined> {
  const [client] = await adminJson<ClientRepresentation[]>(`/clients?clientId=${encodeURIComponent(clientId)}`);
  return client;
}

/**
 * A public password-grant client shaped like gateway-cli (same mappers, same role scope), bar the differences
 * given. Made once and then reused, by every run against this Keycloak: its shape must follow from its name.
 */
export async function gatewayCliVariant(clientId: string, variant: { withoutMapper?: string; attributes?: Record<string, string> }): Promise<string> {
  const template = await clientByClientId('gateway-cli');
  if (template === undefined) throw new Error('The realm has no gateway-cli client: is deploy/keycloak imported?');
  const client = (await clientByClientId(clientId)) ?? (await createClient(clientId, template, variant));
  // Every time, not only on creation: a run that died between the two calls left a client without them.
  const roles = await adminJson<RoleRepresentation[]>(`/clients/${template.id}/scope-mappings/realm`);
  await admin('POST', `/clients/${client.id}/scope-mappings/realm`, roles);
  return clientId;
}

async function createClient(
  clientId: string,
  template: ClientRepresentation,
  variant: { withoutMapper?: string; attributes?: Record<string, string> },
): Promise<ClientRepresentation> {
  const protocolMappers = (template.protocolMappers ?? [])
    .filter((mapper) => mapper.protocolMapper !== variant.withoutMapper)
    .map(({ name, protocol, protocolMapper, config }) => ({ name, protocol, protocolMapper, config }));
  try {
    await admin('POST', '/clients', {
      clientId,
      description: 'Made by the e2e tests (test/support/keycloak-admin.ts)',
      publicClient: true,
      standardFlowEnabled: false,
      directAccessGrantsEnabled: true,
      fullScopeAllowed: false,
      protocolMappers,
      attributes: variant.attributes ?? {},
    });
  } catch (error) {
    // Another run made it a moment earlier, which is just as good.
    if (!(error instanceof KeycloakAdminError && error.status === 409)) throw error;
  }
  const created = await clientByClientId(clientId);
  if (created === undefined) throw new Error(`Keycloak lists no client ${clientId} after creating it`);
  return created;
}
