import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

/** Deep enough for any real variable value; far below what would exhaust the stack of the validators after us. */
export const MAX_INPUT_DEPTH = 64;
// Keys that reach object prototypes when a body is copied into objects (class-transformer, spreads, merges).
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

interface Refusal {
  field: string;
  message: string;
}

/**
 * Refuses, before any handler or validator sees them, values no part of the stack can hold: strings with NUL
 * (PostgreSQL text and jsonb cannot) or lone surrogates (not Unicode), keys that reach object prototypes, and
 * nesting deeper than MAX_INPUT_DEPTH. Path parameters, query and body alike.
 */
@Injectable()
export class RequestValuesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const refusal = refusalIn(request.params, 'path') ?? refusalIn(request.query, 'query') ?? refusalIn(request.body, 'body');
    if (!refusal) return true;
    throw new GatewayError(GatewayErrorCode.ValidationFailed, `Invalid ${refusal.field}: ${refusal.message}`, [{ field: refusal.field, messages: [refusal.message] }]);
  }
}

/** Walks iteratively, so a hostile depth cannot overflow this check itself. */
function refusalIn(root: unknown, location: string): Refusal | null {
  const pending: { value: unknown; field: string; depth: number }[] = [{ value: root, field: location, depth: 0 }];
  while (pending.length > 0) {
    const { value, field, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) return { field, message: `must not contain ${problem}` };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return { field: `${location} (at depth ${depth})`, message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
    for (const key of Object.keys(value)) {
      const child = Array.isArray(value) ? `${field}[${key}]` : `${field}.${key}`;
      if (!Array.isArray(value)) {
        if (PROTOTYPE_KEYS.has(key)) return { field: child, message: `'${key}' is not allowed as a key` };
        const problem = stringProblem(key);
        if (problem) return { field, message: `keys must not contain ${problem}` };
      }
      pending.push({ value: (value as Record<string, unknown>)[key], field: child, depth: depth + 1 });
    }
  }
  return null;
}

function stringProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'NUL characters';
  if (!value.isWellFormed()) return 'lone surrogates (invalid Unicode)';
  return null;
}
