import type { TypedValueDto, VariableMapDto } from './engine-dto.js';
import type { PlainVariables } from './camunda.models.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

export class VariableEncodingError extends Error {
  constructor(readonly variableName: string, reason: string) {
    super(`Variable '${variableName}': ${reason}`);
    this.name = 'VariableEncodingError';
  }
}

/** The one place that turns plain JSON values into Camunda typed values. */
export function encodeVariable(name: string, value: unknown): TypedValueDto {
  if (value === null || value === undefined) return { value: null, type: 'Null' };
  switch (typeof value) {
    case 'string':
      return { value, type: 'String' };
    case 'boolean':
      return { value, type: 'Boolean' };
    case 'number':
      if (!Number.isFinite(value)) throw new VariableEncodingError(name, 'numbers must be finite');
      if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) return { value, type: 'Integer' };
      if (Number.isSafeInteger(value)) return { value, type: 'Long' };
      return { value, type: 'Double' };
    case 'object':
      return { value: JSON.stringify(value), type: 'Json' };
    default:
      throw new VariableEncodingError(name, `values of type ${typeof value} cannot be stored`);
  }
}

export function encodeVariables(variables: PlainVariables | undefined): VariableMapDto | undefined {
  if (variables === undefined) return undefined;
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, encodeVariable(name, value)]));
}

/** And back: typed values to plain JSON. Object values stay the engine's serialized string, unaltered. */
export function decodeVariable(typed: TypedValueDto): unknown {
  switch (typed.type) {
    case 'Json':
      return typeof typed.value === 'string' ? JSON.parse(typed.value) : typed.value;
    case 'Null':
      return null;
    default:
      return typed.value;
  }
}

export function decodeVariables(variables: VariableMapDto | undefined | null): PlainVariables {
  return Object.fromEntries(Object.entries(variables ?? {}).map(([name, typed]) => [name, decodeVariable(typed)]));
}
