import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { IdentityClient } from '../camunda/clients/identity.client.js';
import type { EngineUserProfile } from '../camunda/camunda.models.js';
import type { Caller, TokenIdentity } from './caller.js';
import { holdsAdmin, namedWorkspaces, profileNames, workspaceAccessOf } from './caller-access.js';
import { camundaUserIdFor } from './camunda-ids.js';
import { IdentityStore } from './identity-store.js';
import { syncMemberships } from './memberships.js';
import { RoleGroups } from './role-groups.js';
import { WorkspaceProvisioner } from './workspace-provisioner.js';

export interface ProvisionedCaller {
  caller: Caller;
  /** The caller's identity_users row. */
  userId: string;
}

/**
 * Brings one identity's Camunda user in line with its token: profile, role groups, workspace tenants. Every step
 * reads the engine first and is safe to repeat, so replicas provisioning the same user at once both succeed.
 */
@Injectable()
export class UserProvisioning {
  constructor(
    private readonly store: IdentityStore,
    private readonly identityClient: IdentityClient,
    private readonly roleGroups: RoleGroups,
    private readonly workspaces: WorkspaceProvisioner,
  ) {}

  async provision(identity: TokenIdentity): Promise<ProvisionedCaller> {
    const user = await this.store.recordUser(identity, camundaUserIdFor(identity));
    const camundaUserId = user.camundaUserId;
    await this.workspaces.ensure(namedWorkspaces(identity.grants));
    const known = await this.store.allWorkspaces();
    const access = workspaceAccessOf(identity.grants, known, (roles) => this.roleGroups.groupsOf(roles));
    await this.ensureUser({ id: camundaUserId, ...profileNames(identity.name, identity.username), email: identity.email });
    await this.roleGroups.ensureExist();
    await this.syncGroups(camundaUserId, this.roleGroups.groupsOf(identity.grants.map((grant) => grant.role)));
    await this.syncTenants(
      camundaUserId,
      access.map((entry) => entry.tenantId),
      new Set(known.map((workspace) => workspace.tenantId)),
    );
    await this.store.markUserProvisioned(user.id);
    return { userId: user.id, caller: { identity, camundaUserId, admin: holdsAdmin(identity.grants), workspaces: access } };
  }

  private async ensureUser(profile: EngineUserProfile): Promise<void> {
    const existing = await this.identityClient.findUser(profile.id);
    if (!existing) {
      // Another replica creating it first ('exists') is as good: it writes the same profile.
      await this.identityClient.createUser(profile, unguessablePassword());
    } else if (existing.firstName !== profile.firstName || existing.lastName !== profile.lastName || existing.email !== profile.email) {
      await this.identityClient.updateUserProfile(profile);
    }
  }

  private syncGroups(userId: string, desired: string[]): Promise<void> {
    return syncMemberships(desired, this.roleGroups.managedGroupIds, {
      held: () => this.identityClient.listGroupIdsOfUser(userId),
      add: (groupId) => this.identityClient.addGroupMember(groupId, userId),
      remove: (groupId) => this.identityClient.removeGroupMember(groupId, userId),
    });
  }

  private syncTenants(userId: string, desired: string[], managed: Set<string>): Promise<void> {
    return syncMemberships(desired, managed, {
      held: () => this.identityClient.listTenantIdsOfUser(userId),
      add: (tenantId) => this.identityClient.addTenantUserMember(tenantId, userId),
      remove: (tenantId) => this.identityClient.removeTenantUserMember(tenantId, userId),
    });
  }
}

/**
 * Gateway users sign in at the identity provider, never at the engine: their engine password is random, known to
 * no one and never logged. The fixed tail satisfies an engine password policy, should one be enabled.
 */
function unguessablePassword(): string {
  return `${randomBytes(32).toString('base64url')}aA1!`;
}
