// Tokens from the dev Keycloak (scripts/lib.sh keycloak_start, realm deploy/keycloak/camunda-gateway-realm.json).
import { gatewayCliVariant } from './keycloak-admin.js';
import { cachedToken, clientTokenKey, userTokenKey } from './keycloak-token-cache.js';
import { keycloak, requestToken } from './keycloak-token-endpoint.js';

export * from './keycloak-admin.js';
export { decodeJwt, jwksKids, keycloak, type DecodedJwt } from './keycloak-token-endpoint.js';

// The realm's dev-only secret, committed on purpose.
const TICKET_SERVICE_SECRET = 'ticket-service-secret';

const passwordGrant = (clientId: string, username: string, password: string) => ({
  grant_type: 'password',
  client_id: clientId,
  username,
  password,
});

/** A gateway-cli access token for a realm user (alice, mary, olga, bob, root, or one from createUser). */
export function userToken(username: string, password = username): Promise<string> {
  return cachedToken(userTokenKey(username, password), () => requestToken(passwordGrant('gateway-cli', username, password)));
}

/** A gateway-cli token issued now, not from the cache: e.g. to see which key signs new tokens. */
export async function freshUserToken(username: string, password = username): Promise<string> {
  return (await requestToken(passwordGrant('gateway-cli', username, password))).accessToken;
}

/** A client-credentials access token, by default ticket-service's. */
export function serviceToken(clientId = 'ticket-service', secret = TICKET_SERVICE_SECRET): Promise<string> {
  return cachedToken(clientTokenKey(clientId, secret), () => requestToken({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }));
}

/**
 * A gateway-cli token requested through another host name of the same Keycloak (e.g. '127.0.0.1'; the port
 * stays keycloak.url's unless given): signed with the realm's key, but its `iss` names that host.
 */
export async function tokenFromIssuerHost(host: string, username = 'alice'): Promise<string> {
  const viaHost = new URL(keycloak.url);
  viaHost.host = host;
  return (await requestToken(passwordGrant('gateway-cli', username, username), viaHost.origin)).accessToken;
}

/** Like userToken, but from a client with no audience mapper: the token has no `aud` at all. */
export async function clientWithoutAudienceToken(username: string, password = username): Promise<string> {
  const clientId = await gatewayCliVariant('e2e-gateway-cli-without-audience', { withoutMapper: 'oidc-audience-mapper' });
  return (await requestToken(passwordGrant(clientId, username, password))).accessToken;
}

/** Like userToken, but the token expires `lifespanSeconds` after it is issued. */
export async function shortLivedToken(username: string, lifespanSeconds = 2): Promise<string> {
  const clientId = await gatewayCliVariant(`e2e-gateway-cli-lifespan-${lifespanSeconds}s`, {
    attributes: { 'access.token.lifespan': String(lifespanSeconds) },
  });
  return (await requestToken(passwordGrant(clientId, username, username))).accessToken;
}
