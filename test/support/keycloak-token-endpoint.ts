import { testEnv } from './test-env.js';

/** The realm the e2e tests sign in to (deploy/keycloak/camunda-gateway-realm.json). */
export const keycloak = {
  get url(): string {
    return testEnv.keycloakUrl;
  },
  get realm(): string {
    return testEnv.keycloakRealm;
  },
  /** What the gateway must expect in `iss`: dev mode derives it from the URL a token was requested through. */
  get issuer(): string {
    return `${this.url}/realms/${this.realm}`;
  },
};

export interface IssuedToken {
  accessToken: string;
  /** Local clock, from the response's expires_in. */
  expiresAt: number;
}

/** Calls the realm's token endpoint, by default through keycloak.url; `baseUrl` changes the host a token names in `iss`. */
export async function requestToken(form: Record<string, string>, baseUrl = keycloak.url, realm = keycloak.realm): Promise<IssuedToken> {
  const requestedAt = Date.now();
  const response = await fetch(`${baseUrl}/realms/${encodeURIComponent(realm)}/protocol/openid-connect/token`, {
    method: 'POST',
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
  if (!response.ok || body.access_token === undefined || body.expires_in === undefined) {
    throw new Error(
      `Keycloak ${realm} refused ${form.grant_type} for ${form.username ?? form.client_id}: ${response.status} ${body.error_description ?? body.error}`,
    );
  }
  return { accessToken: body.access_token, expiresAt: requestedAt + body.expires_in * 1000 };
}

export interface DecodedJwt {
  header: { alg: string; kid: string; typ?: string };
  payload: Record<string, unknown> & { iss: string; exp: number; iat: number; azp?: string; aud?: string | string[] };
}

/** Reads a JWT without verifying it: the tests look at what Keycloak issued, the gateway does the verifying. */
export function decodeJwt(token: string): DecodedJwt {
  const [header, payload] = token
    .split('.')
    .slice(0, 2)
    .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  return { header, payload };
}

/** The kids of the realm's published signing keys. */
export async function jwksKids(): Promise<string[]> {
  const response = await fetch(`${keycloak.issuer}/protocol/openid-connect/certs`);
  if (!response.ok) throw new Error(`Keycloak JWKS: ${response.status}`);
  const { keys } = (await response.json()) as { keys: { kid: string; use?: string }[] };
  return keys.filter((key) => key.use !== 'enc').map((key) => key.kid);
}
