import type { OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_HEADER } from './idempotency-key.js';

/** Declares the Idempotency-Key header on every POST operation of the document, so no endpoint is forgotten. */
export function documentIdempotencyKey(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    if (!path.post) continue;
    path.post.parameters = [
      ...(path.post.parameters ?? []),
      {
        name: IDEMPOTENCY_HEADER,
        in: 'header',
        required: false,
        description:
          'Makes the request safe to retry: the first answer is stored and replayed for the same key (header `Idempotent-Replayed: true`). ' +
          'The same key with a different request is a 422, while the first is still running a 409.',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7e]+$' },
      },
    ];
  }
  return document;
}
