import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { refuseUnholdable } from './input-values.js';

/**
 * The same refusals for what only exists once a route's interceptors ran: multipart fields and uploaded files'
 * names and media types (multer parses them after the guards). A JSON body the guard already walked is not
 * walked again.
 */
@Injectable()
export class ParsedValuesPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'body' || metadata.type === 'custom') refuseUnholdable(value, metadata.type === 'body' ? 'body' : 'file');
    return value;
  }
}
