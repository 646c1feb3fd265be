import { Injectable, Logger } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { keysetPage, type Page, type SortKey } from '../pagination/keyset-page.js';
import type { IdentityUserRecord } from './identity-user.entity.js';
import { IdentityProvisioner } from './identity-provisioner.js';
import { IdentityStore } from './identity-store.js';
import { IdentityUserView, ProvisionedUserView, WorkspaceView } from './identity.views.js';
import type { IdentityUserQueryDto } from './dto/identity-user-query.dto.js';
import type { UserToProvisionDto } from './dto/provision-users.dto.js';
import { WorkspaceProvisioner } from './workspace-provisioner.js';

const DEFAULT_LIMIT = 100;
// Users provisioned side by side: enough to make a 500-user import quick, few enough not to crowd the engine.
const BULK_CONCURRENCY = 4;
const FIRST_SEEN: SortKey<IdentityUserRecord> = {
  name: 'firstSeen',
  expression: 'user.first_seen_at',
  sqlType: 'timestamptz',
  valueOf: (row) => row.firstSeenAt.toISOString(),
};

/** Identity administration: who is known, which workspaces exist, provisioning ahead of a first request. */
@Injectable()
export class IdentityAdminService {
  private readonly logger = new Logger(IdentityAdminService.name);

  constructor(
    private readonly store: IdentityStore,
    private readonly provisioner: IdentityProvisioner,
    private readonly workspaces: WorkspaceProvisioner,
    private readonly config: GatewayConfig,
  ) {}

  listUsers(query: IdentityUserQueryDto): Promise<Page<IdentityUserView>> {
    return keysetPage(this.store.users.createQueryBuilder('user'), {
      key: FIRST_SEEN,
      idColumn: 'user.id',
      descending: false,
      cursor: query.cursor,
      limit: query.limit ?? DEFAULT_LIMIT,
      map: IdentityUserView.of,
    });
  }

  async listWorkspaces(): Promise<WorkspaceView[]> {
    return (await this.store.allWorkspaces()).map(WorkspaceView.of);
  }

  async renameWorkspace(id: string, name: string): Promise<WorkspaceView> {
    return WorkspaceView.of(await this.workspaces.rename(id, name));
  }

  /** Each user through the same path as a first request; one user failing does not stop the others. */
  async provisionUsers(users: UserToProvisionDto[]): Promise<ProvisionedUserView[]> {
    const results = new Array<ProvisionedUserView>(users.length);
    let next = 0;
    const worker = async () => {
      while (next < users.length) {
        const index = next++;
        results[index] = await this.provisionUser(users[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, users.length) }, worker));
    return results;
  }

  private async provisionUser(user: UserToProvisionDto): Promise<ProvisionedUserView> {
    try {
      const caller = await this.provisioner.callerFor({
        kind: 'user',
        issuer: this.config.AUTH_ISSUER,
        localId: user.localId,
        username: user.username ?? null,
        name: user.name ?? null,
        email: user.email ?? null,
        grants: user.grants.map(({ workspace, role }) => ({ workspace, role })),
      });
      return {
        localId: user.localId,
        outcome: 'provisioned',
        camundaUserId: caller.camundaUserId,
        workspaces: caller.workspaces.map((access) => access.workspaceId),
        error: null,
      };
    } catch (error) {
      this.logger.warn(`Provisioning ${user.localId} failed: ${(error as Error).message}`);
      return { localId: user.localId, outcome: 'failed', camundaUserId: null, workspaces: [], error: (error as Error).message };
    }
  }
}
