import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { Observable } from 'rxjs';
import { ACCESS_KEY, type Access } from '../auth/access.js';
import type { AccessScope, ScopedRequest } from '../auth/access-scope.js';
import type { IdentifiedRequest } from '../http/request-id.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { AuditLog, type AuditEntry } from './audit-log.js';

const READS = new Set(['GET', 'HEAD']);
const MAX_RESOURCE_ID_LENGTH = 255;

type AuditedRequest = ScopedRequest & IdentifiedRequest;

/**
 * Records every command (anything but GET and HEAD) on a route that is not public, once its answer is complete,
 * whatever the outcome: the status is read when the response closes, after filters, 202 rewrites and idempotent
 * replays. Only the route pattern and its parameters are kept, never the body. A failed insert is logged and
 * counted; the caller's answer is already out.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly reflector: Reflector,
    private readonly auditLog: AuditLog,
    private readonly metrics: GatewayMetrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (READS.has(request.method) || (access && 'public' in access)) return next.handle();
    const response = context.switchToHttp().getResponse<Response>();
    const at = new Date();
    const action = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
    const resourceIds = storableParams(request.params);
    response.once('close', () => {
      const entry: AuditEntry = { at, requestId: request.requestId ?? '', action, resourceIds, outcome: response.statusCode, ...actorOf(request.accessScope) };
      this.auditLog.record(entry).catch((error: Error) => {
        this.metrics.auditWriteFailures.inc();
        this.logger.error(`Audit entry for ${entry.action} (request ${entry.requestId}, outcome ${entry.outcome}) could not be recorded: ${error.message}`);
      });
    });
    return next.handle();
  }
}

function actorOf(scope: AccessScope | undefined): Pick<AuditEntry, 'actorLocalId' | 'actorCamundaId' | 'actorKind' | 'workspace'> {
  if (!scope) return { actorLocalId: null, actorCamundaId: null, actorKind: null, workspace: null };
  return {
    actorLocalId: scope.caller.identity.localId,
    actorCamundaId: scope.camundaUserId,
    actorKind: scope.caller.identity.kind,
    // The workspace the request acted in: the one X-Workspace named, or the caller's only one.
    workspace: !scope.engineWide && scope.workspaces.length === 1 ? scope.workspaces[0]!.workspaceId : null,
  };
}

/** Route parameters are caller input: bounded, and without the U+0000 that jsonb cannot hold. */
function storableParams(params: Record<string, string | string[]> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params ?? {}).map(([name, value]) => [name, (Array.isArray(value) ? value.join('/') : value).replaceAll('\u0000', '\uFFFD').slice(0, MAX_RESOURCE_ID_LENGTH)]),
  );
}
