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
  /** The hostile part must be refused with a 4xx wherever it is sent; such requests may aim at what the fuzz owns. */
  mustRefuse: boolean;
}

/** Values an operation may be called with safely: ids of what the fuzz owns, and harmless defaults. */
export interface FuzzTargets {
  /** An id the fuzz owns for this path parameter, or null when it owns none there. */
  idFor(path: string, parameter: string, method: string): string | null;
}

// Must be refused wherever they appear, so they may be aimed at what the fuzz owns.
const REFUSED_STRINGS = ['a\u0000b', 'x\ud800y', '\udfff'];
// May well be accepted: aimed only at ids nobody owns, or at reads.
const ODD_STRINGS = [
  '',
  ' ',
  'x'.repeat(10_000),
  "' OR 1=1 --",
  '${1+1}',
  '#{7*7}',
  '<script>alert(1)</script>',
  '__proto__',
  '..',
  '../..',
  'a/b',
  '-1',
  '1e999',
  'null',
  '日本語',
  '\u202e\u0301',
  'a\\b',
  '%00',
  '%2e%2e',
];
const WRONG_TYPES: unknown[] = [null, true, 0, -1, 2 ** 31, 2 ** 63, 1.5, [], {}, [[['deep']]], { value: 1, type: 'Nope' }];
// Typed values the codec must refuse, for properties that are variable maps.
const HOSTILE_VARIABLES: unknown[] = [
  { o: { type: 'Object', value: null, valueInfo: { objectTypeName: 'x', serializationDataFormat: 'application/x-java-serialized-object' } } },
  { o: { type: 'Object', value: '{}', valueInfo: { objectTypeName: 'java.util.HashMap'.padEnd(5000, 'x'), serializationDataFormat: 'application/json' } } },
  { o: { type: 'Object', value: '{}', valueInfo: { objectTypeName: 'java.lang.Runtime', serializationDataFormat: 'application/json' } } },
  { d: { type: 'Date', value: '2026-02-30T00:00:00Z' } },
  { s: { type: 'String', value: 5 } },
  { s: 'x'.repeat(4001) },
  { i: { type: 'Integer', value: 2 ** 31 } },
  { ['n'.repeat(300)]: 1 },
  { b: { type: 'Bytes', value: 'not base64!' } },
  { f: { type: 'File', value: 'x' } },
];
const HOSTILE_PATH_SEGMENTS = ['%2e%2e', '%2E', '..%2f..', '%252e%252e', 'a%2Fb', 'a%5Cb', '%00', '%ed%a0%80', 'x'.repeat(2000), '..%3bx', "'%20OR%201=1"];
const HOSTILE_QUERY_VALUES = [
  ...REFUSED_STRINGS,
  ...ODD_STRINGS,
  '0x10',
  '2147483648',
  '-2147483649',
  '9'.repeat(40),
  '2026-02-30',
  '-004714-01-01T00:00:00Z',
  'true,false',
  'SLEEPING',
];

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

  private readonly baselines = new Map<string, unknown>();

  /**
   * A valid-looking body for each JSON operation, pruned of the fields the gateway names as invalid (examples can
   * contradict each other, e.g. a key and an id where only one may be given), so mutations get past validation.
   */
  async calibrate(send: (request: FuzzRequest) => Promise<{ status: number; text: string }>): Promise<void> {
    for (const { method, path, operation } of this.operations()) {
      const schema = operation.requestBody?.content['application/json']?.schema;
      if (!schema) continue;
      const body = { ...(this.validValue(this.resolve(schema)) as Record<string, unknown>) };
      for (let round = 0; round < 3; round += 1) {
        const request: FuzzRequest = {
          method,
          path: this.fillPath(path, pathParameters(operation), method, false),
          body: JSON.stringify(body),
          contentType: 'application/json',
          mutation: 'baseline',
          mustRefuse: false,
        };
        const answer = await send(request);
        const invalid = answer.status === 400 ? invalidFields(answer.text) : [];
        if (invalid.length === 0) break;
        for (const field of invalid) delete body[field];
      }
      this.baselines.set(`${method} ${path}`, body);
    }
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
    const build = (
      mutation: string,
      options: {
        refused: boolean;
        path?: string;
        query?: string;
        json?: unknown;
        raw?: FuzzRequest['body'];
        contentType?: string;
        multipart?: FuzzRequest['multipart'];
      },
    ): FuzzRequest => {
      const owned = options.refused || !writes;
      const path = options.path ?? this.fillPath(template, pathParameters, method, owned);
      const request: FuzzRequest = { method, path: options.query ? `${path}?${options.query}` : path, mutation, mustRefuse: options.refused };
      if (options.multipart) return { ...request, multipart: options.multipart };
      if (options.raw !== undefined) return { ...request, body: options.raw, contentType: options.contentType };
      if (options.json !== undefined) return { ...request, body: JSON.stringify(options.json), contentType: 'application/json' };
      if (jsonSchema) return { ...request, body: JSON.stringify(baseline()), contentType: 'application/json' };
      return request;
    };
    const baseline = () => this.baselines.get(`${method} ${template}`) ?? this.validValue(jsonSchema ?? {});

    const generators: (() => FuzzRequest)[] = [];
    for (const parameter of pathParameters) {
      generators.push(() => {
        // The other path parameters name what the fuzz owns: a hostile segment that is not refused shows as damage.
        const segment = this.pick(HOSTILE_PATH_SEGMENTS);
        const path = this.fillPath(template, pathParameters, method, true, { [parameter.name]: segment });
        return build(`path ${parameter.name}=${segment.slice(0, 40)}`, { refused: false, path });
      });
    }
    for (const parameter of queryParameters) {
      generators.push(() => {
        const value = this.pick(HOSTILE_QUERY_VALUES);
        // Percent-encoding turns a lone surrogate into U+FFFD, which is valid: only NUL must be refused here.
        return build(`query ${parameter.name}=${JSON.stringify(value.slice(0, 40))}`, {
          refused: value.includes('\u0000'),
          query: new URLSearchParams({ [parameter.name]: value }).toString(),
        });
      });
      generators.push(() =>
        build(`query ${parameter.name} repeated`, { refused: false, query: `${parameter.name}=1&${parameter.name}=x&${parameter.name}[]=2` }),
      );
    }
    if (jsonSchema) {
      const valid = baseline() as Record<string, unknown>;
      for (const [property, propertySchema] of Object.entries(jsonSchema.properties ?? {})) {
        generators.push(() => {
          const refused = this.random() < 0.5;
          const value = refused ? this.pick(REFUSED_STRINGS) : this.pick([...ODD_STRINGS, ...WRONG_TYPES]);
          return build(`body.${property}=${JSON.stringify(value)?.slice(0, 40)}`, { refused, json: { ...(baseline() as object), [property]: value } });
        });
        if (this.resolve(propertySchema).type === 'object') {
          generators.push(() => {
            const variables = this.pick(HOSTILE_VARIABLES);
            return build(`body.${property}=${JSON.stringify(variables).slice(0, 60)}`, {
              refused: false,
              json: { ...(baseline() as object), [property]: variables },
            });
          });
        }
        generators.push(() =>
          build(`body.${property} nested 5000 deep`, {
            refused: true,
            raw: `{"${property}":${'['.repeat(5000)}${']'.repeat(5000)}}`,
            contentType: 'application/json',
          }),
        );
      }
      generators.push(() => build('body with a NUL key', { refused: true, json: { ...valid, 'k\u0000': 1 } }));
      generators.push(() =>
        build('body with __proto__', {
          refused: true,
          raw: `{"__proto__":{"polluted":true},${JSON.stringify(valid).slice(1)}`,
          contentType: 'application/json',
        }),
      );
      generators.push(() => build('huge array body', { refused: false, json: Array.from({ length: 200_000 }, () => 0) }));
      generators.push(() =>
        build('JSON with a charset and upper-case media type', {
          refused: false,
          raw: JSON.stringify(valid),
          contentType: this.pick(['application/json; charset=utf-8', 'APPLICATION/JSON']),
        }),
      );
      generators.push(() =>
        build('a JSON-like media type the route does not declare', { refused: true, raw: JSON.stringify(valid), contentType: 'application/json-patch+json' }),
      );
    }
    if (multipartSchema) {
      const properties = Object.entries(multipartSchema.properties ?? {});
      const isFile = (property: Schema) => property.format === 'binary' || property.items?.format === 'binary';
      const fileField = properties.find(([, property]) => isFile(property))?.[0] ?? 'file';
      // Deployments get a model the engine takes (re-deployed only when changed), so mutations reach the engine.
      const validFields = Object.fromEntries(
        properties.flatMap(([name, property]) =>
          property.example !== undefined
            ? [[name, typeof property.example === 'object' ? JSON.stringify(property.example) : String(property.example as string | number | boolean)]]
            : name === 'deployChangedOnly'
              ? [[name, 'true']]
              : [],
        ),
      );
      const file = (name: string) => [{ field: fileField, name, content: Buffer.from(FUZZ_MODEL) }];
      for (const [property, schema] of properties) {
        if (isFile(schema)) continue;
        generators.push(() => {
          const value = this.pick([...REFUSED_STRINGS, ...ODD_STRINGS]);
          const fields = { ...validFields, [property]: value };
          return build(`multipart ${property}=${JSON.stringify(value.slice(0, 40))}`, {
            refused: value.includes('\u0000'),
            multipart: { fields, files: file('fuzz-model.bpmn') },
          });
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
      generators.push(() =>
        build('a JSON array or scalar body', { refused: false, raw: this.pick(['[]', '"x"', '42', 'null']), contentType: 'application/json' }),
      );
      generators.push(() => ({ ...build('no body at all', { refused: false }), body: undefined, contentType: undefined }));
    }
    if (generators.length === 0) generators.push(() => build('no parameters', { refused: false }));
    return generators;
  }

  private fillPath(template: string, parameters: Parameter[], method: string, owned: boolean, overrides: Record<string, string> = {}): string {
    return parameters.reduce((path, parameter) => {
      const value =
        overrides[parameter.name] ?? encodeURIComponent((owned ? this.targets.idFor(template, parameter.name, method) : null) ?? unknownId(parameter.name));
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
    return items[Math.floor(this.random() * items.length)];
  }
}

const FUZZ_MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="fuzz">
  <process id="fuzz-model" isExecutable="true" camunda:historyTimeToLive="P1D"><startEvent id="start"/></process>
</definitions>`;

function pathParameters(operation: Operation): Parameter[] {
  return (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
}

function invalidFields(problemText: string): string[] {
  try {
    const problem = JSON.parse(problemText) as { errors?: { field: string }[] };
    return (problem.errors ?? []).map((error) => error.field.split(/[.[]/)[0]);
  } catch {
    return [];
  }
}

function unknownId(parameter: string): string {
  return parameter === 'name' ? 'fuzz-unknown' : '00000000-0000-0000-0000-0000000f022e';
}
