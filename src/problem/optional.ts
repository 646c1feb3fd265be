import { ValidateIf } from 'class-validator';

/**
 * Skips validation only when the field is absent. Unlike class-validator's IsOptional it does not let `null`
 * through, so `{"variables": null}` is a 400, not a null reaching a service; nullable fields say so themselves.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}
