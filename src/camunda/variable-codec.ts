import type { TypedValueDto, VariableMapDto } from './engine-dto.js';
import type { PlainVariables, TypedVariable, TypedVariables } from './camunda.models.js';
import { CamundaError, CamundaErrorCode } from './camunda.errors.js';

export const VARIABLE_TYPES = ['String', 'Boolean', 'Short', 'Integer', 'Long', 'Double', 'Date', 'Json', 'Null', 'Bytes', 'Object', 'File'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

const RANGES: Record<'Short' | 'Integer' | 'Long', [number, number]> = {
  Short: [-32_768, 32_767],
  Integer: [-(2 ** 31), 2 ** 31 - 1],
  // Beyond 2^53 a JSON number cannot carry a Long exactly through JavaScript.
  Long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
const ISO_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,3})\d*)?(Z|[+-]\d{2}:?\d{2})$/;
const ENGINE_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})([+-]\d{2})(\d{2})$/;
// What the engine's columns hold (ACT_RU_VARIABLE.NAME_ and TEXT_); longer values fail in its persistence layer.
const VARIABLE_NAME = /^[^/\\\u0000-\u001f\u007f]{1,255}$/;
export const VARIABLE_NAME_RULE = 'a variable name is 1-255 characters without slashes or control characters';
const MAX_STRING_LENGTH = 4000;
// The format the engine's Spin JSON plugin reads; Java serialization is refused by engines left at their
// defaults, and XML needs a plugin most engines (this project's included) do not have.
const OBJECT_FORMAT = 'application/json';
// Types Jackson builds from plain JSON without calling anything of consequence: collections and boxed values.
const OBJECT_TYPES = new Set([
  'java.util.HashMap',
  'java.util.LinkedHashMap',
  'java.util.TreeMap',
  'java.util.Map',
  'java.util.ArrayList',
  'java.util.LinkedList',
  'java.util.List',
  'java.util.HashSet',
  'java.util.LinkedHashSet',
  'java.util.TreeSet',
  'java.util.Set',
  'java.lang.String',
  'java.lang.Integer',
  'java.lang.Long',
  'java.lang.Short',
  'java.lang.Double',
  'java.lang.Float',
  'java.lang.Boolean',
  'java.lang.Object',
  'java.math.BigDecimal',
  'java.math.BigInteger',
]);
const JAVA_TYPE_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:<[\w$.<>, [\]]*>)?(?:\[\])*$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A variable value the engine cannot take; the HTTP layer names the variable in a 400. */
export class VariableEncodingError extends CamundaError {
  constructor(
    readonly variableName: string,
    reason: string,
  ) {
    super(CamundaErrorCode.InvalidVariable, `Variable '${variableName}': ${reason}`);
    this.name = 'VariableEncodingError';
  }
}

/**
 * An input of the shape `{ type, value?, valueInfo? }` is typed input, whatever the type says: an unknown type
 * is refused, as the single-variable PUT refuses it, instead of being stored as Json. Anything else is a plain value.
 */
function isTypedInput(input: unknown): input is TypedVariable {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const keys = Object.keys(input);
  return keys.includes('type') && keys.every((key) => ['value', 'type', 'valueInfo'].includes(key));
}

export function isVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}

/** The one place that turns gateway input (plain JSON, or typed) into Camunda typed values. */
export function encodeVariable(name: string, input: unknown): TypedValueDto {
  if (!isVariableName(name)) throw new VariableEncodingError(name.slice(0, 80), VARIABLE_NAME_RULE);
  const encoded = isTypedInput(input) ? encodeTyped(name, input) : encodePlain(name, input);
  if (encoded.type === 'String' && typeof encoded.value === 'string' && encoded.value.length > MAX_STRING_LENGTH) {
    throw new VariableEncodingError(name, `a String holds at most ${MAX_STRING_LENGTH} characters (the engine's column); store longer text as Json or a File`);
  }
  return encoded;
}

export function encodeVariables(variables: PlainVariables | undefined): VariableMapDto | undefined {
  if (variables === undefined) return undefined;
  return Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, encodeVariable(name, value)]));
}

function encodePlain(name: string, value: unknown): TypedValueDto {
  if (value === null || value === undefined) return { value: null, type: 'Null' };
  switch (typeof value) {
    case 'string':
      return { value, type: 'String' };
    case 'boolean':
      return { value, type: 'Boolean' };
    case 'number':
      if (!Number.isFinite(value)) throw new VariableEncodingError(name, 'numbers must be finite');
      if (Number.isInteger(value) && inRange(value, 'Integer')) return { value, type: 'Integer' };
      if (Number.isSafeInteger(value)) return { value, type: 'Long' };
      return { value, type: 'Double' };
    case 'object':
      return { value: JSON.stringify(value), type: 'Json' };
    default:
      throw new VariableEncodingError(name, `values of type ${typeof value} cannot be stored`);
  }
}

function encodeTyped(name: string, input: TypedVariable): TypedValueDto {
  const { value, valueInfo } = input;
  const type = input.type as VariableType;
  const fail = (reason: string): never => {
    throw new VariableEncodingError(name, reason);
  };
  if (!VARIABLE_TYPES.includes(type)) return fail(`'${String(input.type).slice(0, 40)}' is not a variable type; use one of ${VARIABLE_TYPES.join(', ')}`);
  if (type === 'File') return fail('upload files to the .../variables/{name}/data endpoint');
  if (type === 'Object') return encodeObject(value, valueInfo, fail);
  if (valueInfo !== undefined && Object.keys(valueInfo).length > 0) return fail('valueInfo is only read for Object values');
  if (value === null && type !== 'Json') return { value: null, type };
  switch (type) {
    case 'String':
      return typeof value === 'string' ? { value, type } : fail('a String must be a JSON string');
    case 'Boolean':
      return typeof value === 'boolean' ? { value, type } : fail('a Boolean must be true or false');
    case 'Short':
    case 'Integer':
    case 'Long':
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail(`a ${type} must be a whole number`);
      return inRange(value, type) ? { value, type } : fail(`${value} is outside the ${type} range ${RANGES[type][0]}..${RANGES[type][1]}`);
    case 'Double':
      return typeof value === 'number' && Number.isFinite(value) ? { value, type } : fail('a Double must be a finite number');
    case 'Date':
      return { value: toEngineDateValue(value) ?? fail('a Date must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:30:00.000+01:00'), type };
    case 'Json':
      return value === undefined ? fail('a Json variable needs a value (null is one)') : { value: JSON.stringify(value), type };
    case 'Null':
      return fail('a Null variable must have the value null');
    case 'Bytes':
      return typeof value === 'string' && BASE64.test(value)
        ? { value, type }
        : fail('Bytes must be a base64 string (or upload them to the .../data endpoint)');
  }
}

/** Objects stay serialized; only JSON (Spin), of JDK value types, so nothing the engine deserializes can run code. */
function encodeObject(value: unknown, valueInfo: TypedVariable['valueInfo'], fail: (reason: string) => never): TypedValueDto {
  const objectTypeName = valueInfo?.objectTypeName;
  const serializationDataFormat = valueInfo?.serializationDataFormat;
  if (typeof objectTypeName !== 'string' || typeof serializationDataFormat !== 'string')
    return fail('an Object needs valueInfo.objectTypeName and valueInfo.serializationDataFormat');
  if (Object.keys(valueInfo!).some((key) => !['objectTypeName', 'serializationDataFormat'].includes(key)))
    return fail('an Object takes only objectTypeName and serializationDataFormat in valueInfo');
  if (objectTypeName.length > 500 || !JAVA_TYPE_NAME.test(objectTypeName))
    return fail('valueInfo.objectTypeName must be a Java type name, e.g. java.util.HashMap');
  const unknownTypes = objectTypeName.match(/[A-Za-z_$][\w$.]*/g)!.filter((typeName) => !OBJECT_TYPES.has(typeName));
  if (unknownTypes.length > 0) return fail(`Object values may be of JDK value types only (${[...OBJECT_TYPES].join(', ')}); not ${unknownTypes.join(', ')}`);
  if (serializationDataFormat !== OBJECT_FORMAT) return fail(`valueInfo.serializationDataFormat must be ${OBJECT_FORMAT}`);
  if (value !== null && (typeof value !== 'string' || !isJson(value))) return fail('an Object value must be its JSON serialization, as a string');
  return { value, type: 'Object', valueInfo: { objectTypeName, serializationDataFormat } };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function inRange(value: number, type: keyof typeof RANGES): boolean {
  return value >= RANGES[type][0] && value <= RANGES[type][1];
}

/** ISO 8601 in, Camunda's `yyyy-MM-dd'T'HH:mm:ss.SSSZ` out, in the offset the caller gave. */
function toEngineDateValue(value: unknown): string | null {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match || Number.isNaN(Date.parse(value as string))) return null;
  const [, dateTime, millis = '', zone] = match;
  const offset = zone === 'Z' ? '+0000' : zone.replace(':', '');
  return `${dateTime}.${millis.padEnd(3, '0')}${offset}`;
}

/** Typed values out: Json parsed, Date as ISO 8601, Object left serialized, File as its metadata. */
export function decodeTyped(typed: TypedValueDto): TypedVariable {
  const out: TypedVariable = { value: typed.value, type: typed.type };
  if (typed.valueInfo && Object.keys(typed.valueInfo).length > 0) out.valueInfo = typed.valueInfo;
  if (typed.type === 'Json' && typeof typed.value === 'string') out.value = JSON.parse(typed.value);
  if (typed.type === 'Date' && typeof typed.value === 'string') out.value = typed.value.replace(ENGINE_DATE, '$1$2:$3');
  return out;
}

export function decodeTypedVariables(variables: VariableMapDto | undefined | null): TypedVariables {
  return Object.fromEntries(Object.entries(variables ?? {}).map(([name, typed]) => [name, decodeTyped(typed)]));
}

/** Plain values, for code that only needs the data (workers). Type names may come lower-case from the task client. */
export function decodeVariable(typed: TypedValueDto): unknown {
  switch (typed.type.toLowerCase()) {
    case 'json':
      return typeof typed.value === 'string' ? JSON.parse(typed.value) : typed.value;
    case 'null':
      return null;
    default:
      return typed.value;
  }
}
