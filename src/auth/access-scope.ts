import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Role, type Caller, type WorkspaceAccess } from '../identity/caller.js';
import { eventActorOf } from '../events/event-actor.js';
import type { EventActor } from '../events/event-types.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

export const WORKSPACE_HEADER = 'x-workspace';

/** Who calls and which workspaces this request covers: the guard builds it, services filter by it. */
export class AccessScope {
  private constructor(
    readonly caller: Caller,
    /** The caller's workspaces, or the one X-Workspace names. */
    readonly workspaces: WorkspaceAccess[],
    /** An admin without X-Workspace: acts engine-wide, resources of no tenant included. */
    readonly engineWide: boolean,
  ) {}

  static of(caller: Caller, workspaceHeader: string | undefined): AccessScope {
    if (workspaceHeader === undefined) return new AccessScope(caller, caller.workspaces, caller.admin);
    const chosen = caller.workspaces.find((workspace) => workspace.workspaceId === workspaceHeader);
    if (!chosen) throw new GatewayError(GatewayErrorCode.WorkspaceNotAllowed, `You have no access to workspace "${workspaceHeader}"`);
    return new AccessScope(caller, [chosen], false);
  }

  get camundaUserId(): string {
    return this.caller.camundaUserId;
  }

  /** Who the events of a change made in this request name. */
  get actor(): EventActor {
    return eventActorOf(this.caller);
  }

  /** Holds one of the roles in a workspace in scope (admin holds them all). */
  holds(...roles: Role[]): boolean {
    return this.engineWide || this.workspaces.some((workspace) => holdsIn(workspace, roles));
  }

  /** Tenants of the workspaces in scope where the caller holds one of the roles. */
  tenantsWhere(...roles: Role[]): string[] {
    return this.workspaces.filter((workspace) => holdsIn(workspace, roles)).map((workspace) => workspace.tenantId);
  }

  /** Whether a resource of this tenant (null: no tenant) is within reach for these roles. */
  reaches(tenantId: string | null, ...roles: Role[]): boolean {
    if (this.engineWide) return true;
    return tenantId !== null && this.tenantsWhere(...roles).includes(tenantId);
  }

  /** Camunda groups the caller belongs to in the workspace of this tenant. */
  groupsIn(tenantId: string | null): string[] {
    return this.workspaces.find((workspace) => workspace.tenantId === tenantId)?.camundaGroupIds ?? [];
  }

  /**
   * The tenant new resources (instances, deployments) go into: the one workspace in scope where the caller may
   * do it; none for an engine-wide admin.
   */
  targetTenant(...roles: Role[]): string | undefined {
    if (this.engineWide) return undefined;
    const tenants = this.tenantsWhere(...roles);
    if (tenants.length === 1) return tenants[0];
    if (tenants.length === 0) throw new GatewayError(GatewayErrorCode.AccessDenied, 'Your roles do not allow this in any of your workspaces');
    throw new GatewayError(GatewayErrorCode.WorkspaceRequired, 'You are in several workspaces: name one in the X-Workspace header');
  }
}

function holdsIn(workspace: WorkspaceAccess, roles: Role[]): boolean {
  return workspace.roles.includes(Role.Admin) || workspace.roles.some((role) => roles.includes(role));
}

export interface ScopedRequest extends Request {
  /** Set by the AuthGuard as soon as the caller is authenticated, before any refusal of its own (the audit trail's actor). */
  caller?: Caller;
  accessScope?: AccessScope;
}

/** The request's AccessScope, set by the AuthGuard on every route that is not public. */
export const Scope = createParamDecorator((_: unknown, context: ExecutionContext): AccessScope => {
  const scope = context.switchToHttp().getRequest<ScopedRequest>().accessScope;
  if (!scope) throw new GatewayError(GatewayErrorCode.Internal, 'No access scope on a route that needs one');
  return scope;
});
