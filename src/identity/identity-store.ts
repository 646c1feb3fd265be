import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, QueryFailedError, type Repository } from 'typeorm';
import type { TokenIdentity } from './caller.js';
import { IdentityUserRecord } from './identity-user.entity.js';
import { WorkspaceRecord } from './workspace.entity.js';

/** The identity_users and workspaces tables. */
@Injectable()
export class IdentityStore {
  readonly users: Repository<IdentityUserRecord>;
  readonly workspaces: Repository<WorkspaceRecord>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.users = dataSource.getRepository(IdentityUserRecord);
    this.workspaces = dataSource.getRepository(WorkspaceRecord);
  }

  /**
   * Records what the identity says now and returns its row. One statement decides between replicas seeing a new
   * user at once; the Camunda id of an existing row is kept, so renaming a user never moves it to another id.
   */
  async recordUser(identity: TokenIdentity, camundaUserId: string): Promise<IdentityUserRecord> {
    try {
      await this.upsertUser(identity, camundaUserId);
    } catch (error) {
      // ON CONFLICT arbitrates only (issuer, local_id): a replica inserting the same user a moment earlier can trip
      // the camunda_user_id index first. Once that insert has committed, the same statement updates its row.
      if (!isCamundaUserIdTaken(error)) throw error;
      await this.upsertUser(identity, camundaUserId);
    }
    return this.users.findOneByOrFail({ issuer: identity.issuer, localId: identity.localId });
  }

  private async upsertUser(identity: TokenIdentity, camundaUserId: string): Promise<void> {
    await this.users
      .createQueryBuilder()
      .insert()
      .values({
        issuer: identity.issuer,
        localId: identity.localId,
        camundaUserId,
        kind: identity.kind,
        username: identity.username,
        name: identity.name,
        email: identity.email,
      })
      .orUpdate(['kind', 'username', 'name', 'email', 'last_seen_at'], ['issuer', 'local_id'])
      .execute();
  }

  /** The row of an identity provisioned at least once, if any. */
  async findProvisionedUser(identity: TokenIdentity): Promise<IdentityUserRecord | null> {
    const user = await this.users.findOneBy({ issuer: identity.issuer, localId: identity.localId });
    return user?.provisionedAt ? user : null;
  }

  async markUserProvisioned(id: string): Promise<void> {
    await this.users.update({ id }, { provisionedAt: () => 'now()' });
  }

  async touchLastSeen(id: string): Promise<void> {
    await this.users.update({ id }, { lastSeenAt: () => 'now()' });
  }

  async allWorkspaces(): Promise<WorkspaceRecord[]> {
    return this.workspaces.find({ order: { id: 'ASC' } });
  }

  async findWorkspaces(ids: string[]): Promise<WorkspaceRecord[]> {
    return ids.length === 0 ? [] : this.workspaces.findBy({ id: In(ids) });
  }

  /** Inserts the workspace unless it exists; either way returns the row as stored. */
  async recordWorkspace(id: string, name: string, tenantId: string): Promise<WorkspaceRecord> {
    await this.workspaces.createQueryBuilder().insert().values({ id, name, tenantId }).orIgnore().execute();
    return this.workspaces.findOneByOrFail({ id });
  }

  async markWorkspaceProvisioned(id: string): Promise<void> {
    await this.workspaces.update({ id }, { provisionedAt: () => 'now()' });
  }

  async renameWorkspace(id: string, name: string): Promise<void> {
    await this.workspaces.update({ id }, { name });
  }
}

const UNIQUE_VIOLATION = '23505';

function isCamundaUserIdTaken(error: unknown): boolean {
  const cause = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string } | undefined) : undefined;
  return cause?.code === UNIQUE_VIOLATION && cause.constraint === 'uq_identity_users_camunda_user_id';
}
