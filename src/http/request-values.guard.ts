import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { inputRefusal, type InputRefusal } from './input-values.js';

export { MAX_INPUT_DEPTH } from './input-values.js';

export function refusalError(refusal: InputRefusal): GatewayError {
  return new GatewayError(GatewayErrorCode.ValidationFailed, `Invalid ${refusal.field}: ${refusal.message}`, [{ field: refusal.field, messages: [refusal.message] }]);
}

/** Refuses unholdable values in path, query and JSON body before any interceptor, pipe or handler sees them. */
@Injectable()
export class RequestValuesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const refusal = inputRefusal(request.params, 'path') ?? inputRefusal(request.query, 'query') ?? inputRefusal(request.body, 'body');
    if (refusal) throw refusalError(refusal);
    return true;
  }
}
