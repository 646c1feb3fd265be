import type { IssuedToken } from './keycloak-token-endpoint.js';

// Long enough for any one test to finish with the token it was handed (the realm issues 30-minute tokens).
const MIN_REMAINING_VALIDITY_MS = 10 * 60_000;

/** Per test file (jest gives each file its own modules): credentials -> their token, in flight or issued. */
const tokens = new Map<string, Promise<IssuedToken>>();

export async function cachedToken(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
  const cached = tokens.get(key);
  if (cached !== undefined) {
    const token = await cached.catch(() => undefined);
    if (token !== undefined && token.expiresAt - Date.now() >= MIN_REMAINING_VALIDITY_MS) return token.accessToken;
    if (tokens.get(key) === cached) tokens.delete(key);
  }
  const issuing = issue();
  tokens.set(key, issuing);
  try {
    return (await issuing).accessToken;
  } catch (error) {
    if (tokens.get(key) === issuing) tokens.delete(key);
    throw error;
  }
}

// Keyed by the secret too: a wrong password must fail, not be answered from the cache.
export const userTokenKey = (username: string, password: string): string => `user\0${username}\0${password}`;
export const clientTokenKey = (clientId: string, secret: string): string => `client\0${clientId}\0${secret}`;

/** After an admin change to a user: their next token must carry the new claims. */
export function forgetUserTokens(username: string): void {
  for (const key of tokens.keys()) if (key.startsWith(`user\0${username}\0`)) tokens.delete(key);
}

/** After a signing key is removed: cached tokens may be signed with it. */
export function forgetAllTokens(): void {
  tokens.clear();
}
