import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A command a browser sends on behalf of another site is refused: a page elsewhere can make a browser POST a
 * bodiless or multipart request without any CORS preflight. Browsers say where a request comes from (Origin,
 * Sec-Fetch-Site); a command from another origin must come from one of ALLOWED_ORIGINS. Clients that are not
 * browsers send neither header and are not affected.
 */
@Injectable()
export class CrossSiteRequestGuard implements CanActivate {
  constructor(private readonly allowedOrigins: readonly string[]) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!UNSAFE_METHODS.has(request.method)) return true;
    const origin = request.headers.origin;
    const fetchSite = request.headers['sec-fetch-site'];
    if (origin === undefined && (fetchSite === undefined || fetchSite === 'same-origin' || fetchSite === 'none')) return true;
    if (origin !== undefined && (this.isOwn(origin, request) || this.allowedOrigins.includes(origin.toLowerCase()))) return true;
    throw new GatewayError(
      GatewayErrorCode.CrossSiteRequest,
      `Commands from ${origin ? `'${origin.slice(0, 100)}'` : 'another site'} are not accepted; the gateway's operators can allow an origin in ALLOWED_ORIGINS`,
    );
  }

  private isOwn(origin: string, request: Request): boolean {
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  }
}
