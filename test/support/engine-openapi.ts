import { Ajv, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import type { RecordedRequest } from './recording-proxy.js';

type Schema = Record<string, any>;
interface Operation {
  parameters?: Schema[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

const DOCUMENT_ID = 'camunda-engine-rest';

/**
 * Camunda's own OpenAPI document of engine-rest (scripts/lib.sh fetches it from Maven Central), used to check
 * requests: the path and method exist, every query parameter is declared and well typed, JSON bodies match
 * their schema and use no field the schema does not name, multipart parts are the ones the API takes.
 */
export class EngineOpenApi {
  private readonly document: Schema;
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, discriminator: false });
  private readonly templates: { template: string; pattern: RegExp; literalLength: number }[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(path = process.env.CAMUNDA_OPENAPI ?? '.run/camunda-openapi.json') {
    this.document = JSON.parse(readFileSync(path, 'utf8'));
    this.ajv.addSchema({ ...this.document, $id: DOCUMENT_ID });
    this.templates = Object.keys(this.document.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        literalLength: template.replace(/\{[^}]+\}/g, '').length,
      }))
      // A literal path (`/task/count`) wins over a template that also matches it (`/task/{id}`).
      .sort((a, b) => b.literalLength - a.literalLength);
  }

  violations(request: RecordedRequest): string[] {
    const where = `${request.method} ${request.path}`;
    const match = this.templates.find((candidate) => candidate.pattern.test(request.path));
    if (!match) return [`${where}: no such path in engine-rest`];
    const operation: Operation | undefined = this.document.paths[match.template][request.method.toLowerCase()];
    if (!operation) return [`${where}: ${request.method} is not an operation of ${match.template}`];
    return [...this.queryViolations(operation, request, where), ...this.bodyViolations(operation, request, where)];
  }

  private queryViolations(operation: Operation, request: RecordedRequest, where: string): string[] {
    const declared = new Map(
      (operation.parameters ?? [])
        .map((parameter) => this.resolve(parameter))
        .filter((p) => p.in === 'query')
        .map((p) => [p.name, p.schema ?? {}]),
    );
    const problems: string[] = [];
    for (const [name, value] of request.query) {
      const schema = declared.get(name);
      if (!schema) problems.push(`${where}: undeclared query parameter '${name}'`);
      else if (!fitsParameter(this.resolve(schema), value))
        problems.push(`${where}: query parameter '${name}=${value}' does not fit ${JSON.stringify(schema)}`);
    }
    return problems;
  }

  private bodyViolations(operation: Operation, request: RecordedRequest, where: string): string[] {
    if (request.body.length === 0) return [];
    const content = operation.requestBody?.content ?? {};
    const mediaType = (request.contentType ?? '').split(';')[0].trim();
    if (mediaType === 'multipart/form-data') {
      const schema = content['multipart/form-data']?.schema;
      if (!schema) return [`${where}: multipart body not accepted`];
      const allowed = this.propertiesOf(schema);
      const parts = [...request.body.toString('latin1').matchAll(/Content-Disposition: form-data; name="([^"]+)"(; filename=)?/gi)];
      // Resource files may use any part name; the document calls them `data`.
      return parts.filter(([, name, file]) => !file && !allowed.has(name)).map(([, name]) => `${where}: unknown multipart part '${name}'`);
    }
    const schema = content['application/json']?.schema;
    if (!schema) return [`${where}: JSON body not accepted (${mediaType})`];
    const body = JSON.parse(request.body.toString('utf8'));
    const validate = this.validatorFor(schema);
    const problems = validate(body) ? [] : (validate.errors ?? []).map((error) => `${where}: body${error.instancePath} ${error.message}`);
    return [...problems, ...this.unknownFields(schema, body, where, 'body')];
  }

  /** JSON Schema allows extra fields; engine-rest silently ignores them, so a misspelt field is a bug we want to see. */
  private unknownFields(schema: Schema, value: unknown, where: string, at: string): string[] {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
    const resolved = this.resolve(schema);
    const known = this.propertiesOf(resolved);
    if (known.size === 0) {
      const values = resolved.additionalProperties;
      return values && typeof values === 'object'
        ? Object.entries(value).flatMap(([key, item]) => this.unknownFields(values, item, where, `${at}.${key}`))
        : [];
    }
    return Object.entries(value).flatMap(([key, item]) =>
      known.has(key) ? this.unknownFields(known.get(key)!, item, where, `${at}.${key}`) : [`${where}: ${at}.${key} is not in the schema`],
    );
  }

  private propertiesOf(schema: Schema): Map<string, Schema> {
    const resolved = this.resolve(schema);
    const properties = new Map<string, Schema>(Object.entries(resolved.properties ?? {}));
    for (const part of resolved.allOf ?? []) for (const [key, value] of this.propertiesOf(part)) properties.set(key, value);
    return properties;
  }

  private validatorFor(schema: Schema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema));
      this.validators.set(key, validate);
    }
    return validate;
  }

  private resolve(schema: Schema): Schema {
    let current = schema;
    while (current.$ref)
      current = current.$ref
        .slice(2)
        .split('/')
        .reduce((node: Schema, key: string) => node[key], this.document);
    return current;
  }
}

/** Points local `#/...` references at the registered document. */
function rebase(schema: Schema): Schema {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, `"$ref":"${DOCUMENT_ID}#/`));
}

function fitsParameter(schema: Schema, value: string): boolean {
  if (schema.enum && !schema.enum.includes(value)) return false;
  switch (schema.type) {
    case 'boolean':
      return value === 'true' || value === 'false';
    case 'integer':
      return /^-?\d+$/.test(value);
    case 'number':
      return value.trim() !== '' && !Number.isNaN(Number(value));
    default:
      return true;
  }
}
