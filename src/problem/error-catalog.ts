import { CamundaErrorCode } from '../camunda/camunda.errors.js';
import { GatewayErrorCode } from './gateway-error.js';

export type ErrorCode = GatewayErrorCode | CamundaErrorCode;

/** The one place where an error code becomes an HTTP status and a problem title. */
export const ERROR_CATALOG: Record<ErrorCode, { status: number; title: string }> = {
  [GatewayErrorCode.ValidationFailed]: { status: 400, title: 'Request validation failed' },
  [GatewayErrorCode.ResourceNotFound]: { status: 404, title: 'Resource not found' },
  [GatewayErrorCode.CrossSiteRequest]: { status: 403, title: 'Cross-site command refused' },
  [GatewayErrorCode.UnsupportedMediaType]: { status: 415, title: 'Unsupported media type' },
  [GatewayErrorCode.Conflict]: { status: 409, title: 'Conflicts with the current state' },
  [GatewayErrorCode.DatabaseUnavailable]: { status: 503, title: 'Gateway database unavailable' },
  [GatewayErrorCode.IdempotencyKeyReused]: { status: 422, title: 'Idempotency-Key already used for another request' },
  [GatewayErrorCode.IdempotencyKeyInProgress]: { status: 409, title: 'The first request with this Idempotency-Key has not finished' },
  [GatewayErrorCode.TooManyUploads]: { status: 503, title: 'Too many uploads at once' },
  [GatewayErrorCode.Unauthenticated]: { status: 401, title: 'Authentication required' },
  [GatewayErrorCode.AccessDenied]: { status: 403, title: 'Not allowed for your roles' },
  [GatewayErrorCode.WorkspaceNotAllowed]: { status: 403, title: 'Not a workspace of yours' },
  [GatewayErrorCode.WorkspaceRequired]: { status: 400, title: 'Choose a workspace' },
  [GatewayErrorCode.TaskHeldByOther]: { status: 403, title: 'The task is held by someone else' },
  [GatewayErrorCode.IdentityProviderUnavailable]: { status: 503, title: 'Identity provider unavailable' },
  [GatewayErrorCode.Internal]: { status: 500, title: 'Internal gateway error' },
  [CamundaErrorCode.NotFound]: { status: 404, title: 'Not found in the process engine' },
  [CamundaErrorCode.InvalidPathSegment]: { status: 400, title: 'Value not allowed in a resource path' },
  [CamundaErrorCode.InvalidVariable]: { status: 400, title: 'Invalid variable value' },
  [CamundaErrorCode.Rejected]: { status: 400, title: 'Rejected by the process engine' },
  [CamundaErrorCode.Conflict]: { status: 409, title: 'Conflicting change in the process engine' },
  [CamundaErrorCode.Unavailable]: { status: 503, title: 'Process engine unavailable' },
  [CamundaErrorCode.CredentialsRejected]: { status: 502, title: 'Process engine rejected the gateway' },
  [CamundaErrorCode.Forbidden]: { status: 403, title: 'Not authorized in the process engine' },
  [CamundaErrorCode.EngineFailure]: { status: 502, title: 'Process engine failure' },
};

export function problemType(code: ErrorCode): string {
  return `urn:camunda-gateway:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}
