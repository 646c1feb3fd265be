import { ALL_WORKSPACES, Role } from './caller.js';
import { holdsAdmin, namedWorkspaces, profileNames, workspaceAccessOf } from './caller-access.js';
import type { WorkspaceRecord } from './workspace.entity.js';

const workspace = (id: string, tenantId = id) => ({ id, tenantId, name: id, createdAt: new Date(), provisionedAt: new Date() }) as WorkspaceRecord;
const groupsOf = (roles: Role[]) => roles.map((role) => `${role}s`);

describe('workspaceAccessOf', () => {
  const known = [workspace('globex'), workspace('acme'), workspace('a-b', 'ws0123')];

  it('lists each granted workspace once, with its roles deduplicated and the groups they bring', () => {
    const grants = [
      { workspace: 'acme', role: Role.Approver },
      { workspace: 'acme', role: Role.Approver },
      { workspace: 'acme', role: Role.Requester },
      { workspace: 'a-b', role: Role.Operator },
    ];
    expect(workspaceAccessOf(grants, known, groupsOf)).toEqual([
      { workspaceId: 'a-b', tenantId: 'ws0123', roles: [Role.Operator], camundaGroupIds: ['operators'] },
      { workspaceId: 'acme', tenantId: 'acme', roles: [Role.Approver, Role.Requester], camundaGroupIds: ['approvers', 'requesters'] },
    ]);
  });

  it('expands an admin grant on all workspaces to every known workspace', () => {
    const access = workspaceAccessOf(
      [
        { workspace: ALL_WORKSPACES, role: Role.Admin },
        { workspace: 'acme', role: Role.Requester },
      ],
      known,
      groupsOf,
    );
    expect(access.map((entry) => [entry.workspaceId, entry.roles])).toEqual([
      ['a-b', [Role.Admin]],
      ['acme', [Role.Admin, Role.Requester]],
      ['globex', [Role.Admin]],
    ]);
  });

  it('reaches nothing without grants', () => {
    expect(workspaceAccessOf([], known, groupsOf)).toEqual([]);
  });
});

describe('grant helpers', () => {
  it('tells admins and named workspaces apart', () => {
    const grants = [
      { workspace: ALL_WORKSPACES, role: Role.Admin },
      { workspace: 'b', role: Role.Approver },
      { workspace: 'a', role: Role.Approver },
      { workspace: 'b', role: Role.Operator },
    ];
    expect(holdsAdmin(grants)).toBe(true);
    expect(holdsAdmin(grants.slice(1))).toBe(false);
    // An admin of some workspaces is an admin there, never engine-wide.
    expect(holdsAdmin([{ workspace: 'a', role: Role.Admin }])).toBe(false);
    expect(namedWorkspaces(grants)).toEqual(['a', 'b']);
  });

  it('splits a display name into Camunda first and last name', () => {
    expect(profileNames('Mary Ann Smith', 'mary')).toEqual({ firstName: 'Mary Ann', lastName: 'Smith' });
    expect(profileNames('Olga', null)).toEqual({ firstName: 'Olga', lastName: null });
    expect(profileNames(null, 'bob')).toEqual({ firstName: 'bob', lastName: null });
  });
});
