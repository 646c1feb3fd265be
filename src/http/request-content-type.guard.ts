import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { Request } from 'express';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

const JSON_MEDIA_TYPE = 'application/json';
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A body is read only in the media type its route declares (`@ApiConsumes`, JSON by default), so the OpenAPI
 * document and what is accepted cannot differ. Anything else is a 415 before the handler runs: a text/plain or
 * form body would otherwise be read as an empty one and the action would run, which is also how a browser page
 * on another site could send commands without a CORS preflight.
 */
@Injectable()
export class RequestContentTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!METHODS_WITH_BODY.has(request.method)) return true;
    const contentType = request.headers['content-type'];
    if (contentType === undefined && !hasBody(request)) return true;
    const accepted = this.reflector.getAllAndOverride<string[] | undefined>(DECORATORS.API_CONSUMES, [context.getHandler(), context.getClass()]) ?? [
      JSON_MEDIA_TYPE,
    ];
    const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (accepted.includes(mediaType)) return true;
    throw new GatewayError(
      GatewayErrorCode.UnsupportedMediaType,
      `${contentType ? `Content-Type '${contentType.slice(0, 100)}'` : 'A body without a Content-Type'} is not accepted here; send ${accepted.join(' or ')}`,
    );
  }
}

function hasBody(request: Request): boolean {
  return request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
}
