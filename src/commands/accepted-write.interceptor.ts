import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { AcceptedWrite } from './accepted-write.js';

/** Renders every AcceptedWrite a handler returns as 202 (with its Location), whatever the route's usual status. */
@Injectable()
export class AcceptedWriteInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof AcceptedWrite)) return value;
        const response = context.switchToHttp().getResponse<Response>();
        response.status(202);
        if (value.location) response.location(value.location);
        return value.toJSON();
      }),
    );
  }
}
