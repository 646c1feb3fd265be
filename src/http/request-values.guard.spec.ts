import type { ExecutionContext } from '@nestjs/common';
import { GatewayError } from '../problem/gateway-error.js';
import { MAX_INPUT_DEPTH } from './input-values.js';
import { RequestValuesGuard } from './request-values.guard.js';

function contextOf(request: { params?: unknown; query?: unknown; body?: unknown }): ExecutionContext {
  return { getType: () => 'http', switchToHttp: () => ({ getRequest: () => ({ params: {}, query: {}, ...request }) }) } as unknown as ExecutionContext;
}

function refusal(request: { params?: unknown; query?: unknown; body?: unknown }): string | null {
  try {
    new RequestValuesGuard().canActivate(contextOf(request));
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return (error as GatewayError).fieldErrors.map((field) => `${field.field}: ${field.messages.join()}`).join('; ');
  }
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
}

describe('RequestValuesGuard', () => {
  it('lets ordinary input through', () => {
    expect(
      refusal({ params: { id: 'a-1' }, query: { businessKey: 'T-1' }, body: { variables: { title: 'ü 😀', n: [1, { deep: nested(MAX_INPUT_DEPTH - 4) }] } } }),
    ).toBeNull();
  });

  it('names where a NUL sits, in path, query, body values and keys', () => {
    expect(refusal({ params: { id: 'a\u0000' } })).toMatch(/^path\.id: must not contain NUL/);
    expect(refusal({ query: { businessKey: '\u0000' } })).toMatch(/^query\.businessKey: must not contain NUL/);
    expect(refusal({ body: { variables: { list: ['ok', 'x\u0000'] } } })).toMatch(/^body\.variables\.list\[1\]: must not contain NUL/);
    expect(refusal({ body: { variables: { 'a\u0000': 1 } } })).toMatch(/^body\.variables: keys must not contain NUL/);
  });

  it('refuses lone surrogates, prototype keys and deep nesting, without overflowing on 100,000 levels', () => {
    expect(refusal({ body: { name: 'x\ud800' } })).toMatch(/lone surrogates/);
    expect(refusal({ body: JSON.parse('{"variables": {"__proto__": {"polluted": true}}}') })).toMatch(/'__proto__' is not allowed/);
    expect(refusal({ body: { constructor: { prototype: 1 } } })).toMatch(/'constructor' is not allowed/);
    expect(refusal({ body: nested(MAX_INPUT_DEPTH + 1) })).toMatch(/nested deeper than 64/);
    expect(refusal({ body: JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)) })).toMatch(/nested deeper/);
  });
});
