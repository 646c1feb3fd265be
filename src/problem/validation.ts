import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { GatewayError, GatewayErrorCode, type FieldError } from './gateway-error.js';

/** Field errors as flat `a.b[0].c` paths, so a client can point at the offending input. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? (/^\d+$/.test(error.property) ? `${parent}[${error.property}]` : `${parent}.${error.property}`) : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

export function gatewayValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = toFieldErrors(errors);
      return new GatewayError(GatewayErrorCode.ValidationFailed, `Invalid ${fieldErrors.map((error) => error.field).join(', ')}`, fieldErrors);
    },
  });
}
