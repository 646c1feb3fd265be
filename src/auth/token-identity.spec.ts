import { validateGatewayConfig } from '../config/gateway-config.js';
import { Role } from '../identity/caller.js';
import { identityFromClaims } from './token-identity.js';

const ISSUER = 'https://idp.example/realms/x';

describe('identityFromClaims', () => {
  const settings = validateGatewayConfig({ AUTH_SERVICE_ACCOUNTS: '{"ticket-service":{"workspaces":["acme"],"roles":["requester"]}}' });

  it('applies plain roles in every workspace and scoped roles in theirs only', () => {
    const identity = identityFromClaims(
      { sub: 'u1', roles: ['approver', 'globex:operator', 'offline_access'], workspaces: ['acme', 'initech'] },
      ISSUER,
      settings,
    );
    expect(identity?.grants).toEqual([
      { workspace: 'acme', role: Role.Approver },
      { workspace: 'initech', role: Role.Approver },
      { workspace: 'globex', role: Role.Operator },
    ]);
  });

  it('ignores malformed workspaces and non-string entries', () => {
    const identity = identityFromClaims({ sub: 'u1', roles: ['requester', 7], workspaces: ['ok', '../etc', '', { a: 1 }] }, ISSUER, settings);
    expect(identity?.grants).toEqual([{ workspace: 'ok', role: Role.Requester }]);
  });

  it('reads dotted claim paths and space-separated lists', () => {
    const nested = validateGatewayConfig({ AUTH_CLAIM_ROLES: 'realm_access.roles', AUTH_CLAIM_WORKSPACES: 'ws' });
    const identity = identityFromClaims({ sub: 'u1', realm_access: { roles: ['operator'] }, ws: 'a b' }, ISSUER, nested);
    expect(identity?.grants).toEqual([
      { workspace: 'a', role: Role.Operator },
      { workspace: 'b', role: Role.Operator },
    ]);
  });

  it('maps a configured client to its service identity, ignoring the roles its token claims', () => {
    const identity = identityFromClaims({ sub: 'svc-uuid', azp: 'ticket-service', roles: ['admin'], workspaces: ['*'] }, ISSUER, settings);
    expect(identity).toMatchObject({ kind: 'service', localId: 'svc-uuid', username: 'ticket-service', grants: [{ workspace: 'acme', role: Role.Requester }] });
  });

  it('has no identity without a user id, or with one that is not a short string', () => {
    expect(identityFromClaims({ roles: ['admin'] }, ISSUER, settings)).toBeNull();
    expect(identityFromClaims({ sub: 'x'.repeat(256) }, ISSUER, settings)).toBeNull();
    expect(identityFromClaims({ sub: 42 } as never, ISSUER, settings)).toBeNull();
  });

  it('does not follow inherited properties in claim paths', () => {
    const proto = validateGatewayConfig({ AUTH_CLAIM_ROLES: 'constructor.name' });
    expect(identityFromClaims({ sub: 'u1', workspaces: ['a'] }, ISSUER, proto)?.grants).toEqual([]);
  });
});
