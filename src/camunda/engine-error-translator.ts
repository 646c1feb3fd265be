import { AxiosError } from 'axios';
import { CamundaError, CamundaErrorCode, type EngineProblem } from './camunda.errors.js';
import type { EngineExceptionDto } from './engine-dto.js';

// Engine exception types that mean "someone else changed this first", whatever HTTP status carried them.
const CONFLICT_TYPES = new Set(['OptimisticLockingException', 'TaskAlreadyClaimedException']);
// The engine often reports a missing entity as a 500 ("execution x doesn't exist", "No job found with id").
const MISSING_ENTITY = /doesn't exist|does not exist|not found|cannot find|no .* found/i;
// Engine message codes whose meaning the HTTP status (often 500) does not carry.
const ENGINE_MESSAGE_CODES: [RegExp, CamundaErrorCode][] = [
  [/^ENGINE-09\d{3}\b/, CamundaErrorCode.Rejected], // a resource the BPMN/DMN parser cannot read
  [/^ENGINE-03076\b/, CamundaErrorCode.Conflict], // deleting a definition that still has instances
  [/\bENGINE-03043\b|\bis suspended\b/i, CamundaErrorCode.Conflict], // acting on something suspended
  [/MismatchingMessageCorrelationException.*No process definition or execution matches/, CamundaErrorCode.NotFound],
  // ensureNotNull on a looked-up entity ("incident is null"); a missing parameter would read "incidentId is null".
  [/^[a-z]+ is null$/, CamundaErrorCode.NotFound],
  [/MismatchingMessageCorrelationException.*to a single/, CamundaErrorCode.Conflict], // several waiting, one expected
  [/^Cannot find \w+ with id\b|^No \w+ found for \w+ id\b/, CamundaErrorCode.NotFound], // form variables, comments of an unknown task
  [/^ENGINE-22004\b/, CamundaErrorCode.Rejected], // a DMN resource the parser cannot read
  // The caller's input did not fit the model: a variable an expression needs is missing, or cannot be queried by.
  [/Unknown property used in expression|Cannot resolve identifier|cannot be used to query/i, CamundaErrorCode.Rejected],
];
// Java class names tell a client nothing it can act on and tell an attacker what runs behind the gateway.
const JAVA_CLASS_PREFIX = /\b(?:[a-z][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)\b:?\s*/g;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Turns an axios failure into a CamundaError. Request config (and so credentials) never reaches the message. */
export function translateEngineError(error: unknown, operation: string): CamundaError {
  if (!(error instanceof AxiosError)) {
    return new CamundaError(CamundaErrorCode.EngineFailure, `${operation}: ${(error as Error)?.message ?? String(error)}`);
  }
  const response = error.response;
  if (!response) {
    const reason = error.code && NETWORK_CODES.has(error.code) ? error.code : (error.code ?? 'no response');
    return new CamundaError(CamundaErrorCode.Unavailable, `Camunda engine is unreachable (${reason}) during ${operation}`);
  }
  const body = exceptionBody(response.data);
  const engineType = body.type;
  const rawMessage = body.message ?? `engine answered HTTP ${response.status}`;
  const message = rawMessage.replace(JAVA_CLASS_PREFIX, '').trim() || `engine answered HTTP ${response.status}`;
  if (engineType && CONFLICT_TYPES.has(engineType)) return new CamundaError(CamundaErrorCode.Conflict, message, engineType);
  const byMessageCode = ENGINE_MESSAGE_CODES.find(([pattern]) => pattern.test(rawMessage))?.[1];
  if (byMessageCode) return new CamundaError(byMessageCode, message, engineType, parseProblems(body));
  if (response.status >= 500 && MISSING_ENTITY.test(message)) return new CamundaError(CamundaErrorCode.NotFound, message, engineType);
  if (engineType === 'NullValueException') return new CamundaError(CamundaErrorCode.Rejected, message, engineType);
  switch (response.status) {
    case 400:
      return new CamundaError(CamundaErrorCode.Rejected, message, engineType, parseProblems(body));
    case 401:
      return new CamundaError(CamundaErrorCode.CredentialsRejected, 'Camunda engine rejected the gateway credentials', engineType);
    case 403:
      return new CamundaError(CamundaErrorCode.Forbidden, message, engineType);
    case 404:
      return new CamundaError(CamundaErrorCode.NotFound, message, engineType);
    case 409:
      return new CamundaError(CamundaErrorCode.Conflict, message, engineType);
    case 502:
    case 503:
    case 504:
      return new CamundaError(CamundaErrorCode.Unavailable, `Camunda engine is unavailable (HTTP ${response.status}) during ${operation}`, engineType);
    default:
      return new CamundaError(CamundaErrorCode.EngineFailure, message, engineType);
  }
}

/** The engine's exception JSON, also when the request asked for binary data (an ArrayBuffer then holds it). */
function exceptionBody(data: unknown): EngineExceptionDto {
  if (data instanceof ArrayBuffer || Buffer.isBuffer(data)) {
    try {
      return exceptionBody(JSON.parse(Buffer.from(data as ArrayBuffer).toString('utf8')));
    } catch {
      return {};
    }
  }
  return typeof data === 'object' && data !== null ? data : {};
}

function parseProblems(body: EngineExceptionDto): EngineProblem[] {
  return Object.entries(body.details ?? {}).flatMap(([resource, report]) =>
    (report.errors ?? []).map((problem) => ({
      resource,
      message: problem.message,
      line: problem.line ?? null,
      column: problem.column ?? null,
      elementId: problem.mainElementId ?? null,
    })),
  );
}
