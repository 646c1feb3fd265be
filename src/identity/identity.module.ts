import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { DeploymentsModule } from '../deployments/deployments.module.js';
import { IdentityAdminService } from './identity-admin.service.js';
import { IdentityController } from './identity.controller.js';
import { IdentityProvisioner } from './identity-provisioner.js';
import { IdentityStore } from './identity-store.js';
import { RoleGroups } from './role-groups.js';
import { UserProvisioning } from './user-provisioning.js';
import { WorkspaceProvisioner } from './workspace-provisioner.js';

/** Callers mapped to Camunda users, groups and tenants; the auth guard asks IdentityProvisioner for each request's Caller. */
@Module({
  imports: [CamundaModule, DeploymentsModule],
  controllers: [IdentityController],
  providers: [IdentityProvisioner, UserProvisioning, WorkspaceProvisioner, RoleGroups, IdentityStore, IdentityAdminService],
  exports: [IdentityProvisioner],
})
export class IdentityModule {}
