import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { refuseUnholdable } from './input-values.js';

/** Refuses unholdable values in path, query and JSON body before any interceptor, pipe or handler sees them. */
@Injectable()
export class RequestValuesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    refuseUnholdable(request.params, 'path');
    refuseUnholdable(request.query, 'query');
    refuseUnholdable(request.body, 'body');
    return true;
  }
}
