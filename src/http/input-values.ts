import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';

/** Deep enough for any real variable value; far below what would exhaust the stack of the validators after us. */
export const MAX_INPUT_DEPTH = 64;
// Keys that reach object prototypes when input is copied into objects (class-transformer, spreads, merges).
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface InputRefusal {
  field: string;
  message: string;
}

/**
 * The first value in `root` that no layer behind the gateway can hold: a string with NUL (PostgreSQL text and
 * jsonb cannot) or a lone surrogate (not Unicode), a number JSON cannot carry (`1e400` parses as Infinity), a key
 * that reaches object prototypes, or nesting deeper than MAX_INPUT_DEPTH. Walks iteratively, so a hostile depth
 * cannot overflow the check itself; binary content (uploaded files) is not looked into.
 */
export function inputRefusal(root: unknown, location: string): InputRefusal | null {
  const pending: { value: unknown; field: string; depth: number }[] = [{ value: root, field: location, depth: 0 }];
  while (pending.length > 0) {
    const { value, field, depth } = pending.pop()!;
    if (typeof value === 'string') {
      const problem = stringProblem(value);
      if (problem) return { field, message: `must not contain ${problem}` };
      continue;
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return { field, message: 'must be a finite number' };
    if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) continue;
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

// What was walked once is not walked again: the guard sees JSON bodies, the pipe then gets the same object.
const alreadyChecked = new WeakSet<object>();

/** Throws the 400 for the first unholdable value in `value` (see inputRefusal). */
export function refuseUnholdable(value: unknown, location: string): void {
  const isObject = typeof value === 'object' && value !== null;
  if (isObject && alreadyChecked.has(value)) return;
  const refusal = inputRefusal(value, location);
  if (refusal) {
    throw new GatewayError(GatewayErrorCode.ValidationFailed, `Invalid ${refusal.field}: ${refusal.message}`, [
      { field: refusal.field, messages: [refusal.message] },
    ]);
  }
  if (isObject) alreadyChecked.add(value);
}

function stringProblem(value: string): string | null {
  if (value.includes('\u0000')) return 'NUL characters';
  if (!value.isWellFormed()) return 'lone surrogates (invalid Unicode)';
  return null;
}
