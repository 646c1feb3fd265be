import { Injectable, type PipeTransform } from '@nestjs/common';
import { isVariableName, VARIABLE_NAME_RULE } from '../camunda/variable-codec.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

/** Variable names travel in engine URLs: the codec's rule, the same as for names inside variable maps. */
@Injectable()
export class VariableNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isVariableName(value))
      throw new GatewayError(GatewayErrorCode.ValidationFailed, 'Invalid variable name', [{ field: 'name', messages: [VARIABLE_NAME_RULE] }]);
    return value;
  }
}
