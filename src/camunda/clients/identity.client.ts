import { Injectable } from '@nestjs/common';
import { CamundaError, CamundaErrorCode } from '../camunda.errors.js';
import type { CreateOutcome, EngineUserProfile } from '../camunda.models.js';
import type { GroupDto, TenantDto, UserProfileDto } from '../engine-dto.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath } from '../engine-path.js';

// The engine answers 400 BadUserRequestException "The user/group/tenant already exists" for a taken id.
const ALREADY_EXISTS = /already exists/i;

/** The engine's identity service: users, groups, tenants and who is a member of what. */
@Injectable()
export class IdentityClient {
  constructor(private readonly engine: EngineHttp) {}

  async findUser(id: string): Promise<EngineUserProfile | null> {
    const dtos = await this.engine.request<UserProfileDto[]>('find user', { method: 'GET', url: enginePath`/user`, params: { id } });
    const found = dtos.find((dto) => dto.id === id);
    return found ? { id: found.id, firstName: found.firstName ?? null, lastName: found.lastName ?? null, email: found.email ?? null } : null;
  }

  /** The password is for the engine's own login only; callers pass one nobody knows, so the user cannot log in there. */
  createUser(profile: EngineUserProfile, password: string): Promise<CreateOutcome> {
    return createdOrExisting(
      this.engine.request('create user', { method: 'POST', url: enginePath`/user/create`, data: { profile, credentials: { password } } }),
    );
  }

  async updateUserProfile(profile: EngineUserProfile): Promise<void> {
    await this.engine.request('update user profile', { method: 'PUT', url: enginePath`/user/${profile.id}/profile`, data: profile });
  }

  async findGroupIds(ids: string[]): Promise<string[]> {
    const dtos = await this.engine.request<GroupDto[]>('find groups', { method: 'GET', url: enginePath`/group`, params: { idIn: ids.join(',') } });
    return dtos.map((dto) => dto.id);
  }

  async listGroupIdsOfUser(userId: string): Promise<string[]> {
    const dtos = await this.engine.request<GroupDto[]>('list groups of user', { method: 'GET', url: enginePath`/group`, params: { member: userId } });
    return dtos.map((dto) => dto.id);
  }

  createGroup(group: { id: string; name: string; type: string }): Promise<CreateOutcome> {
    return createdOrExisting(this.engine.request('create group', { method: 'POST', url: enginePath`/group/create`, data: group }));
  }

  async addGroupMember(groupId: string, userId: string): Promise<void> {
    await this.engine.request('add group member', { method: 'PUT', url: enginePath`/group/${groupId}/members/${userId}` });
  }

  async removeGroupMember(groupId: string, userId: string): Promise<void> {
    await this.engine.request('remove group member', { method: 'DELETE', url: enginePath`/group/${groupId}/members/${userId}` });
  }

  async listTenantIdsOfUser(userId: string): Promise<string[]> {
    const dtos = await this.engine.request<TenantDto[]>('list tenants of user', { method: 'GET', url: enginePath`/tenant`, params: { userMember: userId } });
    return dtos.map((dto) => dto.id);
  }

  createTenant(tenant: { id: string; name: string }): Promise<CreateOutcome> {
    return createdOrExisting(this.engine.request('create tenant', { method: 'POST', url: enginePath`/tenant/create`, data: tenant }));
  }

  async renameTenant(id: string, name: string): Promise<void> {
    await this.engine.request('rename tenant', { method: 'PUT', url: enginePath`/tenant/${id}`, data: { id, name } });
  }

  async addTenantUserMember(tenantId: string, userId: string): Promise<void> {
    await this.engine.request('add tenant member', { method: 'PUT', url: enginePath`/tenant/${tenantId}/user-members/${userId}` });
  }

  async removeTenantUserMember(tenantId: string, userId: string): Promise<void> {
    await this.engine.request('remove tenant member', { method: 'DELETE', url: enginePath`/tenant/${tenantId}/user-members/${userId}` });
  }
}

async function createdOrExisting(creation: Promise<unknown>): Promise<CreateOutcome> {
  try {
    await creation;
    return 'created';
  } catch (error) {
    if (error instanceof CamundaError && error.code === CamundaErrorCode.Rejected && ALREADY_EXISTS.test(error.message)) return 'exists';
    throw error;
  }
}
