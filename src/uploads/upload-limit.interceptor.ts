import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { UploadSlots } from './upload-slots.js';

const RETRY_AFTER_S = 1;

/**
 * Bounds concurrent multipart uploads on every route, before their bodies are read: beyond the bound the answer is
 * 503 with Retry-After. The slot is held until the response is done, whether it finished or the client went away.
 */
@Injectable()
export class UploadLimitInterceptor implements NestInterceptor {
  constructor(private readonly slots: UploadSlots) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.is('multipart/form-data')) return next.handle();
    const release = this.slots.tryAcquire();
    if (!release) {
      context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(RETRY_AFTER_S));
      throw new GatewayError(GatewayErrorCode.TooManyUploads, 'Too many uploads are in progress; retry shortly');
    }
    context.switchToHttp().getResponse<Response>().once('close', release);
    return next.handle();
  }
}
