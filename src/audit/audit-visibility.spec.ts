import { AccessScope } from '../auth/access-scope.js';
import { Role, type Caller } from '../identity/caller.js';
import { auditVisibility } from './audit-visibility.js';

const caller = (admin: boolean, workspaces: [string, Role[]][]): Caller => ({
  identity: { kind: 'user', issuer: 'https://idp', localId: 'sub', username: 'u', name: null, email: null, grants: [] },
  camundaUserId: 'gwu',
  admin,
  workspaces: workspaces.map(([workspaceId, roles]) => ({ workspaceId, tenantId: workspaceId, roles, camundaGroupIds: [] })),
});

describe('auditVisibility', () => {
  it('shows an engine-wide admin every row', () => {
    expect(auditVisibility(AccessScope.of(caller(true, []), undefined))).toEqual({ all: true });
  });

  it('shows others the workspaces in scope where they operate or administer', () => {
    const olga = caller(false, [
      ['acme', [Role.Operator]],
      ['globex', [Role.Requester]],
      ['initech', [Role.Admin]],
    ]);
    expect(auditVisibility(AccessScope.of(olga, undefined))).toEqual({ workspaces: ['acme', 'initech'] });
    expect(auditVisibility(AccessScope.of(olga, 'globex'))).toEqual({ workspaces: [] });
  });

  it('limits an admin who names a workspace to that workspace', () => {
    expect(auditVisibility(AccessScope.of(caller(true, [['acme', [Role.Admin]]]), 'acme'))).toEqual({ workspaces: ['acme'] });
  });
});
