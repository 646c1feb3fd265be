import { Injectable, type PipeTransform } from '@nestjs/common';
import { GatewayError, GatewayErrorCode } from './gateway-error.js';

// Engine ids are UUIDs or the engine's own generated ids; nothing longer or with path characters.
const ENGINE_ID = /^[A-Za-z0-9][\w:.-]{0,63}$/;

/** Rejects path ids that cannot be engine ids before they reach the engine or the database. */
@Injectable()
export class EngineIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!ENGINE_ID.test(value)) {
      throw new GatewayError(GatewayErrorCode.ValidationFailed, `'${value.slice(0, 80)}' is not a valid id`, [
        { field: 'id', messages: ['id must be 1-64 letters, digits, _, -, : or .'] },
      ]);
    }
    return value;
  }
}
