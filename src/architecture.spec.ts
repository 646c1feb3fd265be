import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { getMetadataArgsStorage } from 'typeorm';
import { MIRROR_ENTITIES } from './mirror/mirror-entities.js';

// Rules about what source says, which an import graph cannot see. The import rules (which folder may depend on
// which, engine-rest only in camunda/, AMQP only in events/, no cycles, no dead modules) are dependency-cruiser's:
// .dependency-cruiser.cjs, run by `npm run lint:deps` in the test command.
const SRC = join(process.cwd(), 'src');
const MIRROR_TABLES = MIRROR_ENTITIES.map((entity) => getMetadataArgsStorage().tables.find((table) => table.target === entity)!.name!);

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({
  folder: relative(SRC, path).split('/')[0],
  name: relative(SRC, path),
  imports: [...readFileSync(path, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1]),
}));

describe('source rules', () => {
  it('sees the source tree and every mirror table', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(MIRROR_TABLES).toEqual(['process_definitions', 'process_instances', 'tasks', 'variables', 'incidents']);
  });

  it('request fields are optional through Optional(), never IsOptional (which lets null through to services)', () => {
    const offending = files.filter((file) => /@IsOptional\(/.test(readFileSync(join(SRC, file.name), 'utf8')));
    expect(offending.map((file) => file.name)).toEqual([]);
  });

  it('only sync/ writes mirror tables', () => {
    const tables = MIRROR_TABLES.join('|');
    const entities = MIRROR_ENTITIES.map((entity) => entity.name).join('|');
    const writes = new RegExp(
      `(INSERT INTO|UPDATE|DELETE FROM) "?(${tables})\\b|getRepository\\((${entities})\\)\\s*\\.(save|insert|update|delete|upsert|remove)\\(|\\.(save|insert|update|delete|upsert|remove)\\((${entities})\\b`,
      'i',
    );
    const offending = files.filter((file) => !['sync', 'mirror'].includes(file.folder) && writes.test(readFileSync(join(SRC, file.name), 'utf8')));
    expect(offending.map((file) => file.name)).toEqual([]);
    // The rule sees the writes where they are.
    expect(files.filter((file) => file.folder === 'sync' && writes.test(readFileSync(join(SRC, file.name), 'utf8'))).length).toBeGreaterThan(0);
  });
});
