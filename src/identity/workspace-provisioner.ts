import { Injectable, Logger } from '@nestjs/common';
import { IdentityClient } from '../camunda/clients/identity.client.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { BpmnDeployer } from '../deployments/bpmn-deployer.js';
import { tenantIdFor } from './camunda-ids.js';
import { IdentityStore } from './identity-store.js';
import { addMembership } from './memberships.js';
import type { WorkspaceRecord } from './workspace.entity.js';

/**
 * Workspaces and their Camunda tenants. A workspace counts as provisioned only once its tenant exists, the
 * gateway's technical user is a member (tenant checks apply to it unless it is an engine admin) and the bundled
 * models are deployed into it; until then every use tries the missing steps again.
 */
@Injectable()
export class WorkspaceProvisioner {
  private readonly logger = new Logger(WorkspaceProvisioner.name);
  private readonly inFlight = new Map<string, Promise<WorkspaceRecord>>();
  private provisionedHere = 0;

  constructor(
    private readonly store: IdentityStore,
    private readonly identityClient: IdentityClient,
    private readonly deployer: BpmnDeployer,
    private readonly config: GatewayConfig,
  ) {}

  /** Counts workspaces this process provisioned: a caller granted every workspace is stale once it moved. */
  get generation(): number {
    return this.provisionedHere;
  }

  /** The named workspaces, each provisioned; new ones are created with their id as name. */
  async ensure(ids: string[]): Promise<WorkspaceRecord[]> {
    const known = new Map((await this.store.findWorkspaces(ids)).map((workspace) => [workspace.id, workspace]));
    return Promise.all(
      ids.map((id) => {
        const workspace = known.get(id);
        return workspace?.provisionedAt ? Promise.resolve(workspace) : this.provisionOnce(id, workspace?.name ?? id);
      }),
    );
  }

  /** Creates the workspace under this name, or renames it (its tenant too). */
  async rename(id: string, name: string): Promise<WorkspaceRecord> {
    const [existing] = await this.store.findWorkspaces([id]);
    const workspace = existing?.provisionedAt ? existing : await this.provisionOnce(id, name);
    if (workspace.name === name) return workspace;
    await this.identityClient.renameTenant(workspace.tenantId, name);
    await this.store.renameWorkspace(id, name);
    return { ...workspace, name };
  }

  private provisionOnce(id: string, name: string): Promise<WorkspaceRecord> {
    let flight = this.inFlight.get(id);
    if (!flight) {
      flight = this.provision(id, name).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, flight);
    }
    return flight;
  }

  private async provision(id: string, name: string): Promise<WorkspaceRecord> {
    const workspace = await this.store.recordWorkspace(id, name, tenantIdFor(id));
    const { tenantId } = workspace;
    const technicalUser = this.config.CAMUNDA_USER;
    if ((await this.identityClient.createTenant({ id: tenantId, name: workspace.name })) === 'created')
      this.logger.log(`Created tenant ${tenantId} for workspace ${id}`);
    const technicalTenants = await this.identityClient.listTenantIdsOfUser(technicalUser);
    if (!technicalTenants.includes(tenantId)) {
      await addMembership(
        () => this.identityClient.addTenantUserMember(tenantId, technicalUser),
        async () => (await this.identityClient.listTenantIdsOfUser(technicalUser)).includes(tenantId),
      );
    }
    await this.deployer.deployInto(tenantId);
    await this.store.markWorkspaceProvisioned(id);
    this.provisionedHere += 1;
    return { ...workspace, provisionedAt: new Date() };
  }
}
