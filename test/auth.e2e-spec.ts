import { generateKeyPair, SignJWT } from 'jose';
import { CapturingLogger, startGateway, type RunningGateway } from './support/gateway-app.js';
import {
  clientWithoutAudienceToken,
  decodeJwt,
  freshUserToken,
  keycloak,
  rotateSigningKey,
  serviceToken,
  shortLivedToken,
  tokenFromIssuerHost,
  userToken,
} from './support/keycloak.js';
import { eventually } from './support/eventually.js';
import type { OpenApiDocument } from './support/openapi-fuzzer.js';
import { TcpProxy, throughLocalPort } from './support/tcp-proxy.js';

// What may answer without a token; everything else in the gateway's own OpenAPI document must not.
const PUBLIC_OPERATIONS = ['GET /health/live', 'GET /health/ready', 'GET /metrics'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The realm's current RSA signing key as a JWK (public parts only). */
async function realmPublicJwk(kid: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${keycloak.issuer}/protocol/openid-connect/certs`);
  const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
  const key = keys.find((candidate) => candidate.kid === kid);
  if (!key) throw new Error(`no key ${kid} in the realm's JWKS`);
  return key;
}

describe('Authentication', () => {
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      WORKERS_ENABLED: 'false',
      AUTH_CLOCK_SKEW_S: '0',
      AUTH_SERVICE_ACCOUNTS: JSON.stringify({ 'ticket-service': { workspaces: ['acme'], roles: ['requester'] } }),
      ALLOWED_ORIGINS: 'https://tickets.example.org',
    });
  });
  afterAll(() => gateway?.close());

  it('answers every operation of its OpenAPI document without a token with 401 problem+json and WWW-Authenticate, but the public ones', async () => {
    const document = (await gateway.anonymous.get('/docs-json').expect(200)).body as OpenApiDocument & {
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const open: string[] = [];
    const failures: string[] = [];
    let walked = 0;
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const operation = operations[method];
        if (!operation) continue;
        const name = `${method.toUpperCase()} ${path}`;
        if (Array.isArray(operation.security) && operation.security.length === 0) open.push(name);
        const url = path.replace(/\{[^}]+\}/g, 'x1');
        const response = await gateway.anonymous[method](url).send(method === 'get' || method === 'delete' ? undefined : {});
        walked++;
        if (PUBLIC_OPERATIONS.includes(name)) {
          if (response.status === 401) failures.push(`${name}: 401 although public`);
          continue;
        }
        if (response.status !== 401) failures.push(`${name}: ${response.status}`);
        else if (!String(response.headers['content-type']).startsWith('application/problem+json'))
          failures.push(`${name}: ${response.headers['content-type']}`);
        else if (response.headers['www-authenticate'] !== 'Bearer realm="camunda-gateway"')
          failures.push(`${name}: WWW-Authenticate ${response.headers['www-authenticate']}`);
      }
    }
    expect(walked).toBeGreaterThan(50);
    expect(failures).toEqual([]);
    expect(open.sort()).toEqual([...PUBLIC_OPERATIONS].sort());
  });

  it('takes password-grant tokens of realm users and client-credentials tokens of configured services', async () => {
    await (await gateway.as('alice')).get('/process-definitions').expect(200);
    const service = gateway.withToken(await serviceToken());
    await service.get('/process-definitions').expect(200);
    // The service account is a requester, not an operator.
    await service.get('/incidents').expect(403);
  });

  describe('refuses with 401 invalid_token', () => {
    async function expectInvalid(token: string, reason: RegExp): Promise<void> {
      const response = await gateway.withToken(token).get('/process-definitions').expect(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="camunda-gateway", error="invalid_token", error_description="[^"]+"$/);
      expect(response.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
      expect(response.body.detail).toMatch(reason);
    }

    it('a bogus bearer token', () => expectInvalid('not-a-jwt', /malformed/));

    it('an expired token', async () => {
      const token = await shortLivedToken('alice', 2);
      await gateway.withToken(token).get('/process-definitions').expect(200);
      await new Promise((resolve) => setTimeout(resolve, decodeJwt(token).payload.exp * 1000 - Date.now() + 1_100));
      await expectInvalid(token, /expired/);
    });

    it('a token of another issuer (same key, other iss)', async () => {
      const token = await tokenFromIssuerHost('127.0.0.1');
      expect(decodeJwt(token).payload.iss).not.toBe(keycloak.issuer);
      await expectInvalid(token, /"iss"/);
    });

    it('a token for another audience', () => clientWithoutAudienceToken('alice').then((token) => expectInvalid(token, /"aud"/)));

    it('alg none', async () => {
      const { payload } = decodeJwt(await userToken('alice'));
      await expectInvalid(`${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`, /algorithm|malformed/);
    });

    it('a token signed by another key under the realm key id', async () => {
      const real = decodeJwt(await userToken('alice'));
      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT(real.payload).setProtectedHeader({ alg: 'RS256', kid: real.header.kid }).sign(privateKey);
      await expectInvalid(forged, /not signed by a key/);
    });

    it('HS256 signed with the realm public key as the secret', async () => {
      const real = decodeJwt(await userToken('alice'));
      const jwk = await realmPublicJwk(real.header.kid);
      for (const secret of [JSON.stringify(jwk), String(jwk.n)]) {
        const forged = await new SignJWT(real.payload).setProtectedHeader({ alg: 'HS256', kid: real.header.kid }).sign(new TextEncoder().encode(secret));
        await expectInvalid(forged, /algorithm/);
      }
    });
  });

  it('accepts tokens of a rotated Keycloak key without a restart', async () => {
    await (await gateway.as('mary')).get('/tasks').expect(200);
    const rotated = await rotateSigningKey();
    try {
      const token = await freshUserToken('mary');
      expect(decodeJwt(token).header.kid).toBe(rotated.kid);
      // Within the unknown-kid cooldown (1 s by default) the new key is fetched.
      await eventually(
        async () => {
          await gateway.withToken(token).get('/tasks').expect(200);
        },
        5_000,
        250,
      );
    } finally {
      await rotated.retire();
    }
  });

  it('keeps accepting tokens signed with cached keys while the IdP is unreachable', async () => {
    const jwksUrl = new URL(`${keycloak.issuer}/protocol/openid-connect/certs`);
    const proxy = new TcpProxy(jwksUrl.hostname, Number(jwksUrl.port));
    await proxy.open();
    const cut = await startGateway({ WORKERS_ENABLED: 'false', AUTH_JWKS_URI: throughLocalPort(jwksUrl, proxy.listeningPort) });
    try {
      await (await cut.as('olga')).get('/incidents').expect(200);
      await proxy.cut();
      await (await cut.as('olga')).get('/incidents').expect(200);
      // A token with a key id the gateway never saw cannot be checked now (once the unknown-kid cooldown has
      // passed, it would fetch the keys): 503, not a 401 that would log users out.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const { privateKey } = await generateKeyPair('RS256');
      const unknown = await new SignJWT(decodeJwt(await userToken('olga')).payload).setProtectedHeader({ alg: 'RS256', kid: 'never-seen' }).sign(privateKey);
      const refused = await cut.withToken(unknown).get('/incidents');
      expect(refused.status).toBe(503);
      expect(refused.body.code).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
    } finally {
      await cut.close();
      await proxy.cut();
    }
  });

  it('answers CORS preflights for configured origins only, without credentials', async () => {
    const allowed = await gateway.anonymous
      .options('/tasks')
      .set('Origin', 'https://tickets.example.org')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization,x-workspace');
    expect(allowed.status).toBeLessThan(300);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://tickets.example.org');
    expect(String(allowed.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();
    const other = await gateway.anonymous.options('/tasks').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('warns at boot when authentication is disabled, and then lets anonymous requests act as an admin', async () => {
    const logger = new CapturingLogger();
    const open = await startGateway({ WORKERS_ENABLED: 'false', AUTH_DISABLED: 'true' }, logger);
    try {
      expect(logger.lines.some((line) => /AUTH_DISABLED=true/.test(line) && line.startsWith('warn'))).toBe(true);
      await open.anonymous.get('/sync/status').expect(200);
    } finally {
      await open.close();
    }
  });

  it('closes /metrics with METRICS_PUBLIC=false, and says so in the OpenAPI document', async () => {
    const closed = await startGateway({ WORKERS_ENABLED: 'false', METRICS_PUBLIC: 'false' });
    try {
      const refused = await closed.anonymous.get('/metrics').expect(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="camunda-gateway"');
      await (await closed.as('olga')).get('/metrics').expect(200);
      await (await closed.as('alice')).get('/metrics').expect(403);
      const document = (await closed.anonymous.get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
      expect(document.paths['/metrics']?.get?.security).toBeUndefined();
      await gateway.anonymous.get('/metrics').expect(200);
    } finally {
      await closed.close();
    }
  });

  it('refuses a workspace the caller is not in', async () => {
    const response = await (await gateway.as('bob', 'acme')).get('/tasks').expect(403);
    expect(response.body.code).toBe('WORKSPACE_NOT_ALLOWED');
  });
});
