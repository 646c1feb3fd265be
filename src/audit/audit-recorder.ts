import { Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { ScopedRequest } from '../auth/access-scope.js';
import type { IdentifiedRequest } from '../http/request-id.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { AuditLog, type AuditEntry } from './audit-log.js';

const READS = new Set(['GET', 'HEAD']);
const MAX_RESOURCE_ID_LENGTH = 255;
// The caller went away before the answer was complete (nginx's code): the command may still have run.
export const CLIENT_CLOSED_REQUEST = 499;

type AuditedRequest = ScopedRequest & IdentifiedRequest;

/**
 * Records every command (anything but GET and HEAD) of an authenticated caller once its answer is complete,
 * whatever the outcome. It watches from an express middleware, not an interceptor: the guards that run after
 * authentication (roles, X-Workspace, input values, media type) refuse before any interceptor would run, and
 * the status is only final when the response closes, after filters, 202 rewrites and idempotent replays.
 * Public routes and unauthenticated requests (401) have no caller and are not recorded. Only the route pattern
 * and its parameters are kept, never the body. A failed insert is logged and counted; the answer is already out.
 */
@Injectable()
export class AuditRecorder {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly auditLog: AuditLog,
    private readonly metrics: GatewayMetrics,
  ) {}

  readonly watch = (request: AuditedRequest, response: Response, next: NextFunction): void => {
    if (!READS.has(request.method)) {
      const at = new Date();
      response.once('close', () => this.record(request, response, at));
    }
    next();
  };

  private record(request: AuditedRequest, response: Response, at: Date): void {
    const entry = entryOf(request, response, at);
    if (!entry) return;
    this.auditLog.record(entry).catch((error: Error) => {
      this.metrics.auditWriteFailures.inc();
      this.logger.error(`Audit entry for ${entry.action} (request ${entry.requestId}, outcome ${entry.outcome}) could not be recorded: ${error.message}`);
    });
  }
}

function entryOf(request: AuditedRequest, response: Response, at: Date): AuditEntry | null {
  const caller = request.caller;
  if (!caller) return null;
  const scope = request.accessScope;
  // The workspace the request acted in: the one X-Workspace named, or the caller's only one. A request the guard
  // refused has no scope; then only a caller of one workspace names it.
  const workspaces = scope ? (scope.engineWide ? [] : scope.workspaces) : caller.workspaces;
  return {
    at,
    requestId: request.requestId ?? '',
    actorLocalId: caller.identity.localId,
    actorCamundaId: caller.camundaUserId,
    actorKind: caller.identity.kind,
    workspace: workspaces.length === 1 ? workspaces[0].workspaceId : null,
    action: `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`,
    resourceIds: storableParams(request.params),
    outcome: response.writableFinished ? response.statusCode : CLIENT_CLOSED_REQUEST,
  };
}

/** Route parameters are caller input: bounded, and without the U+0000 that jsonb cannot hold. */
function storableParams(params: Record<string, string | string[]> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(params ?? {}).map(([name, value]) => [
      name,
      (Array.isArray(value) ? value.join('/') : value).replaceAll('\u0000', '\uFFFD').slice(0, MAX_RESOURCE_ID_LENGTH),
    ]),
  );
}
