import type { AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';
import type { AuditVisibility } from './audit-log.js';

const READERS: readonly Role[] = [Role.Operator, Role.Admin];

/** An engine-wide admin reads every row; anyone else the rows of the workspaces in scope where they operate. */
export function auditVisibility(scope: AccessScope): AuditVisibility {
  if (scope.engineWide) return { all: true };
  return {
    workspaces: scope.workspaces.filter((workspace) => workspace.roles.some((role) => READERS.includes(role))).map((workspace) => workspace.workspaceId),
  };
}
