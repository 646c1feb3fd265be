import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ALL_WORKSPACES, Role, type Caller, type TokenIdentity } from './caller.js';

/** Placeholder until the provisioning branch lands: maps ids without calling the engine. */
@Injectable()
export class IdentityProvisioner {
  async callerFor(identity: TokenIdentity): Promise<Caller> {
    const hash = createHash('sha256').update(`${identity.issuer}\n${identity.localId}`).digest('hex').slice(0, 16);
    const byWorkspace = new Map<string, Role[]>();
    for (const grant of identity.grants) {
      if (grant.workspace === ALL_WORKSPACES) continue;
      byWorkspace.set(grant.workspace, [...(byWorkspace.get(grant.workspace) ?? []), grant.role]);
    }
    return {
      identity,
      camundaUserId: `gw${(identity.username ?? '').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 16)}${hash}`,
      admin: identity.grants.some((grant) => grant.role === Role.Admin),
      workspaces: [...byWorkspace].map(([workspaceId, roles]) => ({ workspaceId, tenantId: workspaceId, roles, camundaGroupIds: roles.includes(Role.Approver) ? ['managers'] : [] })),
    };
  }
}
