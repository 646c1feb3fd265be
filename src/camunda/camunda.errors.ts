/** Why an engine call failed, in the gateway's terms. The HTTP mapping lives in problem/error-catalog.ts. */
export enum CamundaErrorCode {
  NotFound = 'CAMUNDA_NOT_FOUND',
  /** A value that would change which engine resource a path names (`..`, `/`, ...); refused before sending. */
  InvalidPathSegment = 'INVALID_PATH_SEGMENT',
  InvalidVariable = 'INVALID_VARIABLE',
  Rejected = 'CAMUNDA_REJECTED',
  Conflict = 'CAMUNDA_CONFLICT',
  Unavailable = 'CAMUNDA_UNAVAILABLE',
  CredentialsRejected = 'CAMUNDA_CREDENTIALS_REJECTED',
  Forbidden = 'CAMUNDA_FORBIDDEN',
  EngineFailure = 'CAMUNDA_ENGINE_FAILURE',
}

/** One problem the engine found in a deployed resource, where it says where. */
export interface EngineProblem {
  resource: string;
  message: string;
  line: number | null;
  column: number | null;
  elementId: string | null;
}

export class CamundaError extends Error {
  constructor(
    readonly code: CamundaErrorCode,
    message: string,
    /** The engine's exception type (e.g. `TaskAlreadyClaimedException`), when it said one. */
    readonly engineType?: string,
    /** Per-resource problems of a rejected deployment. */
    readonly problems: EngineProblem[] = [],
  ) {
    super(message);
    this.name = 'CamundaError';
  }
}

/** What the engine answers, or undefined where it says the thing asked for does not exist. */
export async function unlessUnknown<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof CamundaError && error.code === CamundaErrorCode.NotFound) return undefined;
    throw error;
  }
}

const UNREACHABLE_CODES: ReadonlySet<CamundaErrorCode> = new Set([CamundaErrorCode.Unavailable, CamundaErrorCode.CredentialsRejected]);

/** The engine cannot be used at all (down, or refusing the gateway): says nothing about what was asked. */
export function isEngineUnreachable(error: unknown): boolean {
  return error instanceof CamundaError && UNREACHABLE_CODES.has(error.code);
}
