import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GatewayConfig } from '../config/gateway-config.js';
import type { Caller } from '../identity/caller.js';
import { IdentityProvisioner } from '../identity/identity-provisioner.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { ACCESS_KEY, type Access } from './access.js';
import { AccessScope, WORKSPACE_HEADER, type ScopedRequest } from './access-scope.js';
import { InvalidTokenError, IssuerUnreachableError, TokenVerifier } from './token-verifier.js';

const REALM = 'camunda-gateway';
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The one gate every route passes: public routes open, every other route needs a valid bearer token of the
 * configured issuer and one of the roles the route declares. A route that declares nothing is closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly unauthenticatedCaller: Caller;

  constructor(
    private readonly reflector: Reflector,
    private readonly config: GatewayConfig,
    private readonly verifier: TokenVerifier,
    private readonly provisioner: IdentityProvisioner,
  ) {
    this.unauthenticatedCaller = {
      identity: { kind: 'service', issuer: 'auth-disabled', localId: 'auth-disabled', username: config.CAMUNDA_USER, name: null, email: null, grants: [] },
      camundaUserId: config.CAMUNDA_USER,
      admin: true,
      workspaces: [],
    };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (access && 'public' in access) return true;
    if (access?.publicWhen && this.config[access.publicWhen]) return true;
    const request = context.switchToHttp().getRequest<ScopedRequest>();
    const caller = this.config.AUTH_DISABLED ? this.unauthenticatedCaller : await this.authenticate(request.headers.authorization);
    request.caller = caller;
    const scope = AccessScope.of(caller, headerValue(request.headers[WORKSPACE_HEADER]));
    if (!access) throw new GatewayError(GatewayErrorCode.AccessDenied, 'This route declares no access and is closed');
    if (access.engineWide && !scope.engineWide) {
      throw new GatewayError(GatewayErrorCode.AccessDenied, 'Needs an admin of every workspace, without X-Workspace: this acts on the whole engine');
    }
    if (!scope.holds(...access.roles)) {
      throw new GatewayError(
        GatewayErrorCode.AccessDenied,
        `Needs one of the roles ${access.roles.join(', ')}${scope.workspaces.length === 1 ? ` in workspace ${scope.workspaces[0].workspaceId}` : ''}`,
      );
    }
    request.accessScope = scope;
    return true;
  }

  private async authenticate(authorization: string | undefined): Promise<Caller> {
    if (authorization === undefined) {
      throw new GatewayError(GatewayErrorCode.Unauthenticated, 'A bearer token is required', [], { 'WWW-Authenticate': `Bearer realm="${REALM}"` });
    }
    const token = BEARER.exec(authorization)?.[1];
    try {
      if (!token) throw new InvalidTokenError('The Authorization header must be "Bearer <token>"');
      return await this.provisioner.callerFor(await this.verifier.verify(token));
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        const description = error.message.replace(/["\\]/g, '');
        throw new GatewayError(GatewayErrorCode.Unauthenticated, error.message, [], {
          'WWW-Authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
        });
      }
      if (error instanceof IssuerUnreachableError)
        throw new GatewayError(GatewayErrorCode.IdentityProviderUnavailable, 'The identity provider cannot be reached to verify the token; retry shortly', [], {
          'Retry-After': '5',
        });
      throw error;
    }
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
