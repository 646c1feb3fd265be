import { ALL_WORKSPACES, Role, type Grant, type WorkspaceAccess } from './caller.js';
import type { WorkspaceRecord } from './workspace.entity.js';

/**
 * The workspaces a caller's grants reach, with its roles in each. A grant on ALL_WORKSPACES reaches every known
 * workspace; a grant naming a workspace that is not (yet) known reaches nothing.
 */
export function workspaceAccessOf(
  grants: Grant[],
  workspaces: Pick<WorkspaceRecord, 'id' | 'tenantId'>[],
  groupsOf: (roles: Role[]) => string[],
): WorkspaceAccess[] {
  const everywhere = grants.filter((grant) => grant.workspace === ALL_WORKSPACES).map((grant) => grant.role);
  return workspaces
    .map((workspace) => {
      const roles = [...new Set([...everywhere, ...grants.filter((grant) => grant.workspace === workspace.id).map((grant) => grant.role)])].sort();
      return { workspaceId: workspace.id, tenantId: workspace.tenantId, roles, camundaGroupIds: groupsOf(roles) };
    })
    .filter((access) => access.roles.length > 0)
    .sort((a, b) => a.workspaceId.localeCompare(b.workspaceId));
}

/** Admin of every workspace: the only kind that acts engine-wide. An admin of some workspaces is one there only. */
export function holdsAdmin(grants: Grant[]): boolean {
  return grants.some((grant) => grant.role === Role.Admin && grant.workspace === ALL_WORKSPACES);
}

/** Workspaces a grant names by id (not ALL_WORKSPACES), each once. */
export function namedWorkspaces(grants: Grant[]): string[] {
  return [...new Set(grants.map((grant) => grant.workspace).filter((workspace) => workspace !== ALL_WORKSPACES))].sort();
}

/** Camunda keeps first and last name apart; a token has one display name: its last word becomes the last name. */
export function profileNames(name: string | null, username: string | null): { firstName: string | null; lastName: string | null } {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { firstName: username, lastName: null };
  if (words.length === 1) return { firstName: words[0], lastName: null };
  return { firstName: words.slice(0, -1).join(' '), lastName: words.at(-1)! };
}
