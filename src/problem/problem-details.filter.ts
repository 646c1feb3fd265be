import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { CamundaError, type EngineProblem } from '../camunda/camunda.errors.js';
import { VariableEncodingError } from '../camunda/variable-codec.js';
import type { IdentifiedRequest } from '../http/request-id.js';
import { ERROR_CATALOG, problemType, type ErrorCode } from './error-catalog.js';
import { GatewayError, GatewayErrorCode, type FieldError } from './gateway-error.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  errors?: FieldError[];
  /** Where the engine found problems in deployed resources (resource, line, column, element). */
  engineProblems?: EngineProblem[];
  /** The request's X-Request-Id, also in the audit trail: what to quote when asking about a refusal. */
  requestId?: string;
}

// Nest's and the body parsers' own errors: a request that could not be read at all, or was too large to read.
const HTTP_EXCEPTION_CODES: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'MALFORMED_REQUEST',
  [HttpStatus.NOT_FOUND]: 'ROUTE_NOT_FOUND',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'PAYLOAD_TOO_LARGE',
};

// PostgreSQL SQLSTATE classes that mean "the database is not there", not "the query is wrong".
const UNAVAILABLE_SQLSTATE = /^(08|53|57P)/;
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** Renders every error as RFC 9457 problem+json. Internals (stack, SQL, engine URLs) never reach the client. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<IdentifiedRequest>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request.originalUrl ?? request.url, request.requestId);
    const line = `${request.method} ${request.originalUrl} -> ${problem.status} ${problem.code}: ${problem.detail}`;
    if (problem.status >= 500) this.logger.error(line, problem.status === 500 ? (exception as Error)?.stack : undefined);
    // A refusal is the caller's to fix, not the operator's: there for whoever follows a request id down (LOG_LEVEL=debug).
    else this.logger.debug(line);
    if (exception instanceof GatewayError) response.set(exception.headers);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  /** `requestId` names the request the problem answered (an idempotent replay gives back the first one's). */
  toProblem(exception: unknown, instance: string, requestId?: string): ProblemDetails {
    const problem = this.problemOf(exception, instance);
    return requestId === undefined ? problem : { ...problem, requestId };
  }

  private problemOf(exception: unknown, instance: string): ProblemDetails {
    if (exception instanceof GatewayError) return build(exception.code, exception.message, instance, exception.fieldErrors);
    if (exception instanceof VariableEncodingError) {
      return build(exception.code, exception.message, instance, [{ field: `variables.${exception.variableName}`, messages: [exception.message] }]);
    }
    if (exception instanceof CamundaError) {
      const problem = build(exception.code, exception.message, instance);
      return exception.problems.length > 0 ? { ...problem, engineProblems: exception.problems } : problem;
    }
    if (exception instanceof HttpException) return fromHttpException(exception, instance);
    if (isDatabaseUnavailable(exception)) {
      return build(GatewayErrorCode.DatabaseUnavailable, 'The gateway database cannot be reached; retry shortly', instance);
    }
    return build(GatewayErrorCode.Internal, 'An unexpected error occurred; it has been logged', instance);
  }
}

function build(code: ErrorCode, detail: string, instance: string, errors: FieldError[] = []): ProblemDetails {
  const { status, title } = ERROR_CATALOG[code];
  return { type: problemType(code), title, status, detail, instance, code, ...(errors.length > 0 ? { errors } : {}) };
}

/** Nest's own HTTP errors (unknown route, malformed JSON body, payload too large) keep their status. */
function fromHttpException(exception: HttpException, instance: string): ProblemDetails {
  const status = exception.getStatus();
  const body = exception.getResponse();
  const message = (body as { message?: unknown }).message;
  const detail = typeof body === 'string' ? body : typeof message === 'string' ? message : Array.isArray(message) ? message.join('; ') : exception.message;
  const code = HTTP_EXCEPTION_CODES[status] ?? `HTTP_${status}`;
  return {
    type: status === HttpStatus.NOT_FOUND ? problemType(GatewayErrorCode.ResourceNotFound) : 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance,
    code,
  };
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  driverError?: ErrorLike;
  errors?: unknown[];
  cause?: unknown;
}

/**
 * Engine failures arrive as CamundaErrors, so a connection failure left in a request path is the database's.
 * Node reports it in several shapes (a code, a cause, an AggregateError's inner errors), and errors from
 * Node's own sockets may come from another realm, so this looks at their shape, not their class.
 */
export function isDatabaseUnavailable(exception: unknown, depth = 0): boolean {
  if (typeof exception !== 'object' || exception === null || depth > 3) return false;
  const error = exception as ErrorLike;
  const rawCode: unknown = exception instanceof QueryFailedError ? error.driverError?.code : error.code;
  const code = typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode) : '';
  if (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code)) return true;
  const message = typeof error.message === 'string' ? error.message : '';
  if (/Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(message)) return true;
  return [...(error.errors ?? []), error.cause].some((inner) => isDatabaseUnavailable(inner, depth + 1));
}
