import { randomUUID } from 'node:crypto';
import { eventually } from './support/eventually.js';
import {
  clientWithoutAudienceToken,
  createUser,
  decodeJwt,
  deleteUser,
  freshUserToken,
  jwksKids,
  keycloak,
  type KeycloakUser,
  rotateSigningKey,
  serviceToken,
  setRealmRoles,
  setUserAttributes,
  shortLivedToken,
  tokenFromIssuerHost,
  userAttributes,
  userToken,
} from './support/keycloak.js';

/** The contract the gateway relies on: deploy/keycloak/camunda-gateway-realm.json as the dev Keycloak serves it. */
describe('the dev Keycloak realm', () => {
  const created: KeycloakUser[] = [];
  const uniqueName = () => `e2e-${randomUUID().slice(0, 8)}`;

  afterAll(async () => {
    await Promise.all(created.map((user) => deleteUser(user.id)));
  });

  it.each([
    ['alice', 'Alice Requester', ['requester'], ['acme']],
    ['mary', 'Mary Approver', ['approver'], ['acme']],
    ['olga', 'Olga Operator', ['operator'], ['acme']],
    ['bob', 'Bob Approver', ['approver'], ['globex']],
    ['root', 'Root Admin', ['admin'], ['*']],
  ])('issues %s a gateway token with name %s, roles %j and workspaces %j', async (username, name, roles, workspaces) => {
    const { header, payload } = decodeJwt(await userToken(username));
    expect(header.alg).toBe('RS256');
    expect(await jwksKids()).toContain(header.kid);
    expect(payload).toMatchObject({
      iss: keycloak.issuer,
      azp: 'gateway-cli',
      preferred_username: username,
      name,
      email: `${username}@example.test`,
      email_verified: true,
      roles,
      workspaces,
    });
    expect([payload.aud].flat()).toContain('camunda-gateway');
    expect(payload.sub).toEqual(expect.any(String));
    // Realm setting: the e2e suite reuses tokens for up to 20 of these 30 minutes.
    expect(payload.exp - payload.iat).toBe(1800);
  });

  it('refuses a wrong password', async () => {
    await expect(freshUserToken('alice', 'not-alice')).rejects.toThrow(/401|Invalid user credentials/);
  });

  it('issues ticket-service a client-credentials token for the gateway, with no user roles or workspaces', async () => {
    const { payload } = decodeJwt(await serviceToken());
    expect(payload).toMatchObject({
      iss: keycloak.issuer,
      azp: 'ticket-service',
      client_id: 'ticket-service',
      preferred_username: 'service-account-ticket-service',
    });
    expect([payload.aud].flat()).toContain('camunda-gateway');
    expect(payload.roles ?? []).toEqual([]);
    expect(payload.workspaces).toBeUndefined();
    await expect(serviceToken('ticket-service', 'not-the-secret')).rejects.toThrow(/401|Invalid client/);
  });

  it('keeps a multivalued workspaces attribute and role changes made through the admin API', async () => {
    const user = await createUser({ username: uniqueName(), workspaces: ['acme', 'globex'], roles: ['approver', 'operator'] });
    created.push(user);
    const before = decodeJwt(await userToken(user.username)).payload;
    expect(before).toMatchObject({ preferred_username: user.username, workspaces: ['acme', 'globex'] });
    expect((before.roles as string[]).sort()).toEqual(['approver', 'operator']);

    await setUserAttributes(user.id, { workspaces: ['globex', 'initech'] });
    await setRealmRoles(user.id, ['requester']);
    expect((await userAttributes(user.id)).workspaces).toEqual(['globex', 'initech']);
    expect(decodeJwt(await userToken(user.username)).payload).toMatchObject({ workspaces: ['globex', 'initech'], roles: ['requester'] });
  });

  it('signs new tokens with a rotated key, published in the JWKS, until it is retired', async () => {
    const before = decodeJwt(await freshUserToken('mary')).header.kid;
    const rotated = await rotateSigningKey();
    try {
      expect(rotated.kid).not.toBe(before);
      expect(await jwksKids()).toEqual(expect.arrayContaining([before, rotated.kid]));
      expect(decodeJwt(await freshUserToken('mary')).header.kid).toBe(rotated.kid);
    } finally {
      await rotated.retire();
    }
    expect(decodeJwt(await freshUserToken('mary')).header.kid).toBe(before);
    // Retired, not removed: what it signed meanwhile still verifies.
    expect(await jwksKids()).toContain(rotated.kid);
  });

  it('takes a removed key out of the JWKS', async () => {
    const rotated = await rotateSigningKey();
    await rotated.retire();
    await rotated.remove();
    await eventually(async () => expect(await jwksKids()).not.toContain(rotated.kid));
  });

  it('names the host a token was requested through in iss, signed with the same key', async () => {
    const viaLocalhost = decodeJwt(await freshUserToken('alice'));
    const viaLoopbackAddress = decodeJwt(await tokenFromIssuerHost('127.0.0.1'));
    expect(viaLoopbackAddress.payload.iss).toBe(`${new URL(keycloak.url).protocol}//127.0.0.1:${new URL(keycloak.url).port}/realms/${keycloak.realm}`);
    expect(viaLoopbackAddress.payload.iss).not.toBe(viaLocalhost.payload.iss);
    expect(viaLoopbackAddress.header.kid).toBe(viaLocalhost.header.kid);
    expect(viaLoopbackAddress.payload).toMatchObject({ preferred_username: 'alice', azp: 'gateway-cli' });
  });

  it('issues tokens without the gateway audience from a client without the audience mapper, claims otherwise alike', async () => {
    const { payload } = decodeJwt(await clientWithoutAudienceToken('bob'));
    expect(payload.aud).toBeUndefined();
    expect(payload).toMatchObject({ iss: keycloak.issuer, preferred_username: 'bob', roles: ['approver'], workspaces: ['globex'] });
    expect(payload.azp).not.toBe('gateway-cli');
  });

  it('issues short-lived tokens that expire in 2 seconds', async () => {
    const { payload } = decodeJwt(await shortLivedToken('olga'));
    expect(payload.exp - payload.iat).toBe(2);
    expect(payload).toMatchObject({ preferred_username: 'olga', roles: ['operator'] });
    expect([payload.aud].flat()).toContain('camunda-gateway');
  });
});
