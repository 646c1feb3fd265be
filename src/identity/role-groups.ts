import { Injectable } from '@nestjs/common';
import { IdentityClient } from '../camunda/clients/identity.client.js';
import { GatewayConfig } from '../config/gateway-config.js';
import type { Role } from './caller.js';

// Groups for people working on tasks; Camunda's other type, SYSTEM, is for its own administration.
const GROUP_TYPE = 'WORKFLOW';

/** The Camunda group of each role (AUTH_ROLE_GROUPS), created in the engine the first time they are needed. */
@Injectable()
export class RoleGroups {
  private readonly groupOfRole: Map<Role, string>;
  private ensured: Promise<void> | null = null;

  constructor(
    private readonly identityClient: IdentityClient,
    config: GatewayConfig,
  ) {
    this.groupOfRole = new Map(Object.entries(config.AUTH_ROLE_GROUPS) as [Role, string][]);
  }

  groupsOf(roles: Iterable<Role>): string[] {
    return [...new Set([...roles].flatMap((role) => this.groupOfRole.get(role) ?? []))];
  }

  /** Only these groups' memberships are the gateway's to add and remove; other groups of a user are left alone. */
  get managedGroupIds(): Set<string> {
    return new Set(this.groupOfRole.values());
  }

  /** Creates missing groups once per process; a failure is retried by the next caller. */
  ensureExist(): Promise<void> {
    this.ensured ??= this.createMissing().catch((error: unknown) => {
      this.ensured = null;
      throw error;
    });
    return this.ensured;
  }

  private async createMissing(): Promise<void> {
    const existing = new Set(await this.identityClient.findGroupIds([...this.managedGroupIds]));
    for (const [role, groupId] of this.groupOfRole) {
      if (existing.has(groupId)) continue;
      await this.identityClient.createGroup({ id: groupId, name: role, type: GROUP_TYPE });
      existing.add(groupId);
    }
  }
}
