/** Hostile requests generated from the gateway's own OpenAPI document, so a new endpoint is fuzzed without anyone listing it. */

interface Schema {
  type?: string;
  enum?: unknown[];
  format?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  $ref?: string;
}

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzRequest {
  method: string;
  /** The path as sent, already encoded. */
  path: string;
  contentType?: string;
  body?: string | Buffer;
  /** Multipart fields and files, for operations that consume multipart/form-data. */
  multipart?: { fields: Record<string, string>; files: { field: string; name: string; content: Buffer }[] };
  /** What was made hostile, for the failure report. */
  mutation: string;
}

/** Values an operation may be called with safely: ids of what the fuzz owns, and harmless defaults. */
export interface FuzzTargets {
  idFor(path: string, parameter: string): string;
}

// Must be refused wherever they appear, so they may be aimed at what the fuzz owns.
const REFUSED_STRINGS = ['a\u0000b', 'x\ud800y', '\udfff'];
// May well be accepted: aimed only at ids nobody owns, or at reads.
const ODD_STRINGS = ['', ' ', 'x'.repeat(10_000), "' OR 1=1 --", '${1+1}', '#{7*7}', '<script>alert(1)</script>', '__proto__', '..', '../..', 'a/b', '-1', '1e999', 'null', '日本語', '\u202e\u0301', 'a\\b', '%00', '%2e%2e'];
const WRONG_TYPES: unknown[] = [null, true, 0, -1, 2 ** 31, 2 ** 63, 1.5, [], {}, [[['deep']]], { value: 1, type: 'Nope' }];
const HOSTILE_PATH_SEGMENTS = ['%2e%2e', '%2E', '..%2f..', '%252e%252e', 'a%2Fb', 'a%5Cb', '%00', '%ed%a0%80', 'x'.repeat(2000), '..%3bx', "'%20OR%201=1"];
const HOSTILE_QUERY_VALUES = [...REFUSED_STRINGS, ...ODD_STRINGS, '0x10', '2147483648', '-2147483649', '9'.repeat(40), '2026-02-30', '-004714-01-01T00:00:00Z', 'true,false', 'SLEEPING'];

/** A seeded generator (mulberry32): the same seed gives the same requests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class OpenApiFuzzer {
  constructor(
    private readonly document: OpenApiDocument,
    private readonly targets: FuzzTargets,
    private readonly random: () => number,
  ) {}

  operations(): { method: string; path: string; operation: Operation }[] {
    return Object.entries(this.document.paths).flatMap(([path, operations]) =>
      Object.entries(operations).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
    );
  }

  /** `count` hostile requests for one operation, each with one thing made hostile. */
  requestsFor(method: string, template: string, operation: Operation, count: number): FuzzRequest[] {
    const generators = this.generatorsFor(method, template, operation);
    return Array.from({ length: count }, () => this.pick(generators)());
  }

  private generatorsFor(method: string, template: string, operation: Operation): (() => FuzzRequest)[] {
    const parameters = operation.parameters ?? [];
    const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
    const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
    const content = operation.requestBody?.content ?? {};
    const jsonSchema = content['application/json'] ? this.resolve(content['application/json'].schema ?? {}) : null;
    const multipartSchema = content['multipart/form-data'] ? this.resolve(content['multipart/form-data'].schema ?? {}) : null;
    const writes = method !== 'GET';

    // A request whose hostile part must be refused may go to the fuzz's own resources; any other only to unknown ids.
    const build = (mutation: string, options: { refused: boolean; path?: string; query?: Record<string, string>; json?: unknown; raw?: FuzzRequest['body']; contentType?: string; multipart?: FuzzRequest['multipart'] }): FuzzRequest => {
      const owned = options.refused || !writes;
      const path = options.path ?? this.fillPath(template, pathParameters, owned);
      const query = new URLSearchParams(options.query ?? {}).toString();
      const request: FuzzRequest = { method, path: query ? `${path}?${query}` : path, mutation };
      if (options.multipart) return { ...request, multipart: options.multipart };
      if (options.raw !== undefined) return { ...request, body: options.raw, contentType: options.contentType };
      if (options.json !== undefined) return { ...request, body: JSON.stringify(options.json), contentType: 'application/json' };
      if (jsonSchema) return { ...request, body: JSON.stringify(this.validValue(jsonSchema)), contentType: 'application/json' };
      return request;
    };

    const generators: (() => FuzzRequest)[] = [];
    for (const parameter of pathParameters) {
      generators.push(() => {
        const segment = this.pick(HOSTILE_PATH_SEGMENTS);
        const path = this.fillPath(template, pathParameters, !writes, { [parameter.name]: segment });
        return build(`path ${parameter.name}=${segment.slice(0, 40)}`, { refused: false, path });
      });
    }
    for (const parameter of queryParameters) {
      generators.push(() => {
        const value = this.pick(HOSTILE_QUERY_VALUES);
        return build(`query ${parameter.name}=${JSON.stringify(value.slice(0, 40))}`, { refused: REFUSED_STRINGS.includes(value), query: { [parameter.name]: value } });
      });
    }
    if (jsonSchema) {
      const valid = this.validValue(jsonSchema) as Record<string, unknown>;
      for (const property of Object.keys(jsonSchema.properties ?? {})) {
        generators.push(() => {
          const refused = this.random() < 0.5;
          const value = refused ? this.pick(REFUSED_STRINGS) : this.pick([...ODD_STRINGS, ...WRONG_TYPES]);
          return build(`body.${property}=${JSON.stringify(value)?.slice(0, 40)}`, { refused, json: { ...valid, [property]: value } });
        });
        generators.push(() => build(`body.${property} nested 5000 deep`, { refused: true, raw: `{"${property}":${'['.repeat(5000)}${']'.repeat(5000)}}`, contentType: 'application/json' }));
      }
      generators.push(() => build('body with a NUL key', { refused: true, json: { ...valid, 'k\u0000': 1 } }));
      generators.push(() => build('body with __proto__', { refused: true, raw: `{"__proto__":{"polluted":true},${JSON.stringify(valid).slice(1)}`, contentType: 'application/json' }));
      generators.push(() => build('huge array body', { refused: false, json: Array.from({ length: 200_000 }, () => 0) }));
    }
    if (multipartSchema) {
      const properties = Object.entries(multipartSchema.properties ?? {});
      const isFile = (property: Schema) => property.format === 'binary' || property.items?.format === 'binary';
      const fileField = properties.find(([, property]) => isFile(property))?.[0] ?? 'file';
      const validFields = Object.fromEntries(properties.filter(([, property]) => !isFile(property) && property.example !== undefined).map(([name, property]) => [name, String(property.example)]));
      const file = (name: string) => [{ field: fileField, name, content: Buffer.from('<definitions/>') }];
      for (const [property, schema] of properties) {
        if (isFile(schema)) continue;
        generators.push(() => {
          const value = this.pick([...REFUSED_STRINGS, ...ODD_STRINGS]);
          const fields = { ...validFields, [property]: value };
          return build(`multipart ${property}=${JSON.stringify(value.slice(0, 40))}`, { refused: REFUSED_STRINGS.includes(value), multipart: { fields, files: file('fuzz.txt') } });
        });
      }
      generators.push(() => {
        const name = this.pick(['../../x.bpmn', 'a\u0000.bpmn', 'x'.repeat(300), '%2e%2e.dmn', 'résumé.form']);
        return build(`multipart file named ${JSON.stringify(name.slice(0, 40))}`, { refused: false, multipart: { fields: validFields, files: file(name) } });
      });
    }
    if (writes) {
      // Bodies a browser on another site could send without a preflight, and bodies that are not JSON at all.
      generators.push(() => build('text/plain body', { refused: true, raw: '{"variables":{}}', contentType: 'text/plain' }));
      generators.push(() => build('form body', { refused: true, raw: 'variables=x', contentType: 'application/x-www-form-urlencoded' }));
      generators.push(() => build('broken JSON', { refused: true, raw: '{"a":', contentType: 'application/json' }));
      generators.push(() => build('JSON with a lone surrogate escape', { refused: true, raw: '{"x":"\\ud800"}', contentType: 'application/json' }));
      generators.push(() => build('a JSON array or scalar body', { refused: false, raw: this.pick(['[]', '"x"', '42', 'null']), contentType: 'application/json' }));
    }
    if (generators.length === 0) generators.push(() => build('no parameters', { refused: false }));
    return generators;
  }

  private fillPath(template: string, parameters: Parameter[], owned: boolean, overrides: Record<string, string> = {}): string {
    return parameters.reduce((path, parameter) => {
      const value = overrides[parameter.name] ?? encodeURIComponent(owned ? this.targets.idFor(template, parameter.name) : unknownId(parameter.name));
      return path.replace(`{${parameter.name}}`, value);
    }, template);
  }

  private validValue(schema: Schema): unknown {
    const resolved = this.resolve(schema);
    if (resolved.example !== undefined) return resolved.example;
    if (resolved.enum) return resolved.enum[0];
    switch (resolved.type) {
      case 'object':
        return Object.fromEntries(Object.entries(resolved.properties ?? {}).map(([name, property]) => [name, this.validValue(property)]));
      case 'array':
        return [];
      case 'integer':
      case 'number':
        return 1;
      case 'boolean':
        return false;
      default:
        return resolved.format === 'date-time' ? new Date().toISOString() : 'fuzz';
    }
  }

  private resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema;
    return this.document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] ?? {};
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}

function unknownId(parameter: string): string {
  return parameter === 'name' ? 'fuzz-unknown' : '00000000-0000-0000-0000-0000000f022e';
}
