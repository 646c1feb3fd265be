import { Role, type Caller, type WorkspaceAccess } from '../identity/caller.js';
import { GatewayErrorCode } from '../problem/gateway-error.js';
import { TaskAccess } from '../tasks/task-access.js';
import { AccessScope } from './access-scope.js';

const workspace = (workspaceId: string, roles: Role[], camundaGroupIds: string[] = []): WorkspaceAccess => ({
  workspaceId,
  tenantId: `t${workspaceId}`,
  roles,
  camundaGroupIds,
});

function caller(workspaces: WorkspaceAccess[], admin = false): Caller {
  return {
    identity: { kind: 'user', issuer: 'i', localId: 'l', username: 'u', name: null, email: null, grants: [] },
    camundaUserId: 'gwme',
    admin,
    workspaces,
  };
}

describe('AccessScope', () => {
  const mary = caller([workspace('acme', [Role.Approver], ['managers']), workspace('initech', [Role.Operator])]);

  it('covers all workspaces of the caller without X-Workspace, and only the one it names with it', () => {
    expect(AccessScope.of(mary, undefined).tenantsWhere(Role.Approver, Role.Operator)).toEqual(['tacme', 'tinitech']);
    expect(AccessScope.of(mary, 'initech').tenantsWhere(Role.Approver, Role.Operator)).toEqual(['tinitech']);
  });

  it('refuses a workspace the caller is not in', () => {
    expect(() => AccessScope.of(mary, 'globex')).toThrow(expect.objectContaining({ code: GatewayErrorCode.WorkspaceNotAllowed }));
  });

  it('never reaches resources of no tenant unless engine-wide', () => {
    expect(AccessScope.of(mary, undefined).reaches(null, Role.Operator)).toBe(false);
    const root = caller([workspace('acme', [Role.Admin])], true);
    expect(AccessScope.of(root, undefined).reaches(null, Role.Operator)).toBe(true);
    expect(AccessScope.of(root, 'acme').reaches(null, Role.Operator)).toBe(false);
    expect(AccessScope.of(root, 'acme').reaches('tacme', Role.Operator)).toBe(true);
  });

  it('asks for X-Workspace when a start could go into several workspaces', () => {
    const both = caller([workspace('acme', [Role.Requester]), workspace('globex', [Role.Requester])]);
    expect(() => AccessScope.of(both, undefined).targetTenant(Role.Requester)).toThrow(expect.objectContaining({ code: GatewayErrorCode.WorkspaceRequired }));
    expect(AccessScope.of(both, 'globex').targetTenant(Role.Requester)).toBe('tglobex');
    expect(() => AccessScope.of(mary, undefined).targetTenant(Role.Requester)).toThrow(expect.objectContaining({ code: GatewayErrorCode.AccessDenied }));
  });
});

describe('TaskAccess.canSee', () => {
  const access = new TaskAccess({} as never, {} as never);
  const task = (
    overrides: Partial<{ tenantId: string | null; assignee: string | null; owner: string | null; candidateUsers: string[]; candidateGroups: string[] }>,
  ) => ({
    tenantId: 'tacme',
    assignee: null,
    owner: null,
    candidateUsers: [],
    candidateGroups: [],
    ...overrides,
  });
  const mary = AccessScope.of(caller([workspace('acme', [Role.Approver], ['managers'])]), undefined);

  it('shows an approver the tasks she holds, owns or is a candidate for, in her workspace only', () => {
    expect(access.canSee(mary, task({ candidateGroups: ['managers'] }))).toBe(true);
    expect(access.canSee(mary, task({ candidateUsers: ['gwme'] }))).toBe(true);
    expect(access.canSee(mary, task({ assignee: 'gwme' }))).toBe(true);
    expect(access.canSee(mary, task({ owner: 'gwme' }))).toBe(true);
    expect(access.canSee(mary, task({ candidateGroups: ['accounting'] }))).toBe(false);
    expect(access.canSee(mary, task({ tenantId: 'tglobex', candidateGroups: ['managers'] }))).toBe(false);
    expect(access.canSee(mary, task({ tenantId: null, assignee: 'gwme' }))).toBe(false);
  });

  it('shows an operator every task of the workspace', () => {
    const olga = AccessScope.of(caller([workspace('acme', [Role.Operator])]), undefined);
    expect(access.canSee(olga, task({ assignee: 'someone' }))).toBe(true);
    expect(access.canSee(olga, task({ tenantId: 'tglobex' }))).toBe(false);
  });
});
