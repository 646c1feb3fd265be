import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { inputRefusal } from './input-values.js';
import { refusalError } from './request-values.guard.js';

/**
 * The same refusals for what only exists once a route's interceptors ran: multipart fields and uploaded files'
 * names and media types (multer parses them after the guards).
 */
@Injectable()
export class ParsedValuesPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' && metadata.type !== 'custom') return value;
    const refusal = inputRefusal(value, metadata.type === 'body' ? 'body' : 'file');
    if (refusal) throw refusalError(refusal);
    return value;
  }
}
