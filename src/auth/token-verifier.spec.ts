import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { validateGatewayConfig } from '../config/gateway-config.js';
import { Role } from '../identity/caller.js';
import { InvalidTokenError, IssuerUnreachableError, TokenVerifier } from './token-verifier.js';

const AUDIENCE = 'camunda-gateway';

/** A stand-in OIDC issuer: discovery document and JWKS served over HTTP, keys swappable, outage switchable. */
class LocalIssuer {
  keys: { kid: string; jwk: JWK }[] = [];
  down = false;
  jwksFetches = 0;
  private server!: Server;
  url!: string;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      if (this.down) return void response.writeHead(503).end();
      if (request.url === '/.well-known/openid-configuration') {
        return void response.setHeader('content-type', 'application/json').end(JSON.stringify({ issuer: this.url, jwks_uri: `${this.url}/jwks` }));
      }
      this.jwksFetches++;
      response
        .setHeader('content-type', 'application/json')
        .end(JSON.stringify({ keys: this.keys.map(({ kid, jwk }) => ({ ...jwk, kid, alg: 'RS256', use: 'sig' })) }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function rsaKey(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, publicKey, privateKey, jwk: await exportJWK(publicKey) };
}

type Key = Awaited<ReturnType<typeof rsaKey>>;

function token(key: Key, claims: Record<string, unknown>, issuer: string, options: { expiresIn?: string; audience?: string } = {}) {
  return new SignJWT({ preferred_username: 'alice', roles: ['requester'], workspaces: ['acme'], ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setSubject('9f1c-uuid')
    .setIssuer(issuer)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(key.privateKey);
}

function base64url(value: object | string): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

describe('TokenVerifier', () => {
  const issuer = new LocalIssuer();
  let key: Key;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    await issuer.start();
    key = await rsaKey('k1');
  });
  afterAll(() => issuer.stop());

  beforeEach(() => {
    issuer.keys = [{ kid: key.kid, jwk: key.jwk }];
    issuer.down = false;
    verifier = new TokenVerifier(validateGatewayConfig({ AUTH_ISSUER: issuer.url, AUTH_CLOCK_SKEW_S: '0', AUTH_JWKS_COOLDOWN_MS: '0' }));
  });
  afterEach(() => verifier.onModuleDestroy());

  it('accepts a token of the issuer and maps its claims to grants', async () => {
    const identity = await verifier.verify(await token(key, {}, issuer.url));
    expect(identity).toEqual({
      kind: 'user',
      issuer: issuer.url,
      localId: '9f1c-uuid',
      username: 'alice',
      name: null,
      email: null,
      grants: [{ workspace: 'acme', role: Role.Requester }],
    });
  });

  it.each([
    ['expired', async () => token(key, {}, issuer.url, { expiresIn: '-1s' }), /expired/],
    ['another issuer', async () => token(key, {}, 'https://elsewhere.example/realms/x'), /"iss"/],
    ['another audience', async () => token(key, {}, issuer.url, { audience: 'account' }), /"aud"/],
    ['signed by another key under a known kid', async () => token({ ...(await rsaKey('k1')) }, {}, issuer.url), /not signed by a key/],
    [
      'alg none',
      async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'x', iss: issuer.url, aud: AUDIENCE, exp: 9e9 })}.`,
      /algorithm|malformed/,
    ],
  ])('refuses a token %s', async (_, make, reason) => {
    await expect(verifier.verify(await make())).rejects.toThrow(reason);
    await expect(verifier.verify(await make())).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses HS256 signed with the public key as the shared secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(key.jwk));
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: key.kid })
      .setSubject('x')
      .setIssuer(issuer.url)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(secret);
    await expect(verifier.verify(forged)).rejects.toThrow(/algorithm/);
  });

  it('refuses a token without a user id claim', async () => {
    const anonymous = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(issuer.url)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(key.privateKey);
    await expect(verifier.verify(anonymous)).rejects.toThrow(/sub/);
  });

  it('fetches the keys again for an unknown kid, so a rotated key works without a restart', async () => {
    await verifier.verify(await token(key, {}, issuer.url));
    const rotated = await rsaKey('k2');
    issuer.keys.push({ kid: rotated.kid, jwk: rotated.jwk });
    await expect(verifier.verify(await token(rotated, {}, issuer.url))).resolves.toMatchObject({ localId: '9f1c-uuid' });
  });

  it('does not fetch the keys again for unknown kids within the cooldown', async () => {
    const slow = new TokenVerifier(validateGatewayConfig({ AUTH_ISSUER: issuer.url, AUTH_JWKS_COOLDOWN_MS: '60000' }));
    try {
      await slow.verify(await token(key, {}, issuer.url));
      const fetches = issuer.jwksFetches;
      const stranger = await rsaKey('made-up');
      for (let i = 0; i < 5; i++) await expect(slow.verify(await token(stranger, {}, issuer.url))).rejects.toBeInstanceOf(InvalidTokenError);
      expect(issuer.jwksFetches).toBe(fetches);
    } finally {
      slow.onModuleDestroy();
    }
  });

  it('keeps verifying with cached keys while the issuer is down', async () => {
    await verifier.verify(await token(key, {}, issuer.url));
    issuer.down = true;
    await expect(verifier.verify(await token(key, {}, issuer.url))).resolves.toMatchObject({ localId: '9f1c-uuid' });
  });

  it('says the issuer is unreachable when it has no keys cached', async () => {
    issuer.down = true;
    await expect(verifier.verify(await token(key, {}, issuer.url))).rejects.toBeInstanceOf(IssuerUnreachableError);
  });
});
