import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';

const schema = JSON.parse(readFileSync('docs/events.schema.json', 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

/** What is wrong with an event against the published schema (docs/events.schema.json); empty when it conforms. */
export function schemaViolations(event: unknown): string[] {
  return validate(event) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
}
