/** Errors the gateway itself raises; their HTTP form is in error-catalog.ts. */
export enum GatewayErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  ResourceNotFound = 'RESOURCE_NOT_FOUND',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  CrossSiteRequest = 'CROSS_SITE_REQUEST',
  Conflict = 'CONFLICT',
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyKeyInProgress = 'IDEMPOTENCY_KEY_IN_PROGRESS',
  TooManyUploads = 'TOO_MANY_UPLOADS',
  Unauthenticated = 'UNAUTHENTICATED',
  AccessDenied = 'ACCESS_DENIED',
  WorkspaceNotAllowed = 'WORKSPACE_NOT_ALLOWED',
  WorkspaceRequired = 'WORKSPACE_REQUIRED',
  TaskHeldByOther = 'TASK_HELD_BY_OTHER',
  IdentityProviderUnavailable = 'IDENTITY_PROVIDER_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

export interface FieldError {
  field: string;
  messages: string[];
}

export class GatewayError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    /** Response headers the problem needs, such as WWW-Authenticate on a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}
