import { CamundaError, CamundaErrorCode } from './camunda.errors.js';

declare const enginePathBrand: unique symbol;

/** A path below engine-rest whose every interpolated segment was checked and encoded; the only URL EngineHttp takes. */
export type EnginePath = string & { readonly [enginePathBrand]: true };

// Decoding stops here: a value that still decodes further after this many rounds is refused as a whole.
const MAX_DECODE_ROUNDS = 4;
const MAX_SEGMENT_LENGTH = 1000;
// Servlet containers cut ';' path parameters off a segment before resolving dots: `..;x` is `..` to Tomcat.
const DOT_SEGMENT = /^\.{1,2}(;.*)?$/;
const FORBIDDEN_CHARACTER = /[/\\\u0000-\u001f\u007f]/;

/**
 * Builds an engine-rest path from literal parts and values, one value per whole segment:
 * enginePath`/process-instance/${id}/variables/${name}`. A value that could change which resource the path names
 * (empty, `.` or `..` in any percent-encoding, a `/` or `\`, a control character, a lone surrogate) is refused
 * before any request is sent; every other value is percent-encoded.
 */
export function enginePath(literals: TemplateStringsArray, ...values: string[]): EnginePath {
  if (!literals[0].startsWith('/')) throw new Error(`Engine paths are relative to engine-rest and start with '/': ${literals.join('…')}`);
  let path = literals[0];
  values.forEach((value, index) => {
    const after = literals[index + 1];
    if (!path.endsWith('/') || !(after === '' || after.startsWith('/'))) throw new Error(`An engine path value must be a whole segment: ${literals.join('…')}`);
    path += encodeSegment(value) + after;
  });
  return path as EnginePath;
}

function encodeSegment(value: string): string {
  const refusal = segmentRefusal(value);
  if (refusal) {
    throw new CamundaError(CamundaErrorCode.InvalidPathSegment, `${JSON.stringify(value.slice(0, 80))} cannot be used in an engine path: ${refusal}`);
  }
  return encodeURIComponent(value);
}

function segmentRefusal(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'it is empty';
  if (value.length > MAX_SEGMENT_LENGTH) return `it is longer than ${MAX_SEGMENT_LENGTH} characters`;
  if (!value.isWellFormed()) return 'it holds a lone surrogate';
  let form = value;
  for (let round = 0; ; round += 1) {
    if (DOT_SEGMENT.test(form)) return 'it is a dot segment';
    if (FORBIDDEN_CHARACTER.test(form)) return 'it holds a slash, a backslash or a control character';
    const decoded = decodeOnce(form);
    if (decoded === form) return null;
    if (round === MAX_DECODE_ROUNDS) return 'it is percent-encoded too many times';
    form = decoded;
  }
}

function decodeOnce(form: string): string {
  try {
    return decodeURIComponent(form);
  } catch {
    // Not valid percent-encoding: servers keep such a value literally, so it cannot turn into anything else.
    return form;
  }
}

/** Joins checked paths; safe because each part was built by enginePath. */
export function joinEnginePaths(...parts: EnginePath[]): EnginePath {
  return parts.join('') as EnginePath;
}
