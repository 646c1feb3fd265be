/** What a caller may be in a workspace; `admin` holds everywhere and implies every other role. */
export enum Role {
  Requester = 'requester',
  Approver = 'approver',
  Operator = 'operator',
  Admin = 'admin',
}

export const ALL_WORKSPACES = '*';

/** What a workspace id may look like, wherever one comes from (a token, the admin API). */
export const WORKSPACE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isWorkspaceGrant(value: string): boolean {
  return value === ALL_WORKSPACES || WORKSPACE_ID.test(value);
}

/** A role in a workspace, as the token (or the service-account configuration) grants it. */
export interface Grant {
  /** A workspace id, or ALL_WORKSPACES. */
  workspace: string;
  role: Role;
}

/** Who a verified token says the caller is, after the configured claims were read. */
export interface TokenIdentity {
  kind: 'user' | 'service';
  issuer: string;
  /** Stable id of the caller at the issuer (the configured claim, `sub` by default). */
  localId: string;
  username: string | null;
  name: string | null;
  email: string | null;
  grants: Grant[];
}

/** One workspace the caller may work in, with what it maps to in Camunda. */
export interface WorkspaceAccess {
  workspaceId: string;
  tenantId: string;
  roles: Role[];
  /** Camunda groups the caller is a member of because of these roles (candidate groups of tasks). */
  camundaGroupIds: string[];
}

/** A caller known to Camunda: provisioned as a Camunda user with its group and tenant memberships. */
export interface Caller {
  identity: TokenIdentity;
  camundaUserId: string;
  /** Holds Role.Admin: may act engine-wide, including on resources of no tenant. */
  admin: boolean;
  workspaces: WorkspaceAccess[];
}
