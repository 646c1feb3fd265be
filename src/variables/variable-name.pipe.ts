import { Injectable, type PipeTransform } from '@nestjs/common';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

const VARIABLE_NAME = /^[^/\\\u0000-\u001f]{1,255}$/;

/** Variable names travel in engine URLs: bounded, no slashes or control characters. */
@Injectable()
export class VariableNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!VARIABLE_NAME.test(value)) {
      throw new GatewayError(GatewayErrorCode.ValidationFailed, 'Invalid variable name', [
        { field: 'name', messages: ['a variable name is 1-255 characters without slashes or control characters'] },
      ]);
    }
    return value;
  }
}
