import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { RequestContext } from './request-context.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';
const CALLER_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface IdentifiedRequest extends Request {
  requestId?: string;
}

/** The caller's X-Request-Id when it is safe to log, store and echo; otherwise a new one. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === 'string' && CALLER_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * Names every request before any guard runs, so refusals, problems, the audit trail, log lines and the events the
 * request causes all carry the same id: the rest of the request runs inside its RequestContext.
 */
export function assignRequestId(requests: RequestContext) {
  return (request: IdentifiedRequest, response: Response, next: NextFunction): void => {
    const requestId = requestIdFor(request.headers[REQUEST_ID_HEADER.toLowerCase()]);
    request.requestId = requestId;
    response.setHeader(REQUEST_ID_HEADER, requestId);
    requests.run(requestId, next);
  };
}
