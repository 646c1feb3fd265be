import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// The dependency rules of the README's architecture section, checked on every test run.
const SRC = join(process.cwd(), 'src');
const FOUNDATIONS = ['camunda', 'commands', 'events', 'mirror', 'config', 'problem', 'database', 'http', 'uploads'];
const CAPABILITIES = ['audit', 'deployments', 'identity', 'process-definitions', 'process-instances', 'tasks', 'health', 'idempotency', 'incidents', 'messages', 'metrics', 'sync', 'variables', 'workers'];
// Who a caller is (roles, grants, the provisioned caller): types every layer may name.
const CALLER_CONTRACT = '/identity/caller.js';

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({
  folder: relative(SRC, path).split('/')[0]!,
  name: relative(SRC, path),
  imports: [...readFileSync(path, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1]!),
}));

function importsOf(folder: string): string[] {
  return files.filter((file) => file.folder === folder).flatMap((file) => file.imports.map((target) => `${file.name} -> ${target}`));
}

describe('architecture rules', () => {
  it('sees the source tree', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it.each(FOUNDATIONS)('%s/ imports no capability', (folder) => {
    const offending = importsOf(folder).filter((line) => !line.endsWith(CALLER_CONTRACT) && CAPABILITIES.some((capability) => line.includes(`/${capability}/`)));
    // The database module lists every entity, and entities live in the capability that owns them: the one allowed edge.
    expect(offending.filter((line) => !line.startsWith('database/') || !line.endsWith('.entity.js'))).toEqual([]);
  });

  it('auth/ (the guard every route passes) depends on no capability but identity/, which says who the caller is', () => {
    const offending = importsOf('auth').filter((line) => CAPABILITIES.filter((capability) => capability !== 'identity').some((capability) => line.includes(`/${capability}/`)));
    expect(importsOf('auth').length).toBeGreaterThan(5);
    expect(offending).toEqual([]);
  });

  it('only camunda/ speaks engine-rest (axios, the external-task client)', () => {
    const offending = files.filter((file) => file.folder !== 'camunda' && file.imports.some((target) => target === 'axios' || target.startsWith('camunda-external-task-client-js')));
    expect(offending.map((file) => file.name)).toEqual([]);
  });

  it('engine JSON types stay inside camunda/', () => {
    const offending = files.filter((file) => file.folder !== 'camunda' && file.imports.some((target) => target.endsWith('/engine-dto.js')));
    expect(offending.map((file) => file.name)).toEqual([]);
  });

  it('only events/ speaks AMQP', () => {
    const offending = files.filter((file) => file.folder !== 'events' && file.imports.some((target) => target === 'amqplib'));
    expect(offending.map((file) => file.name)).toEqual([]);
  });

  it('request fields are optional through Optional(), never IsOptional (which lets null through to services)', () => {
    const offending = files.filter((file) => /@IsOptional\(/.test(readFileSync(join(SRC, file.name), 'utf8')));
    expect(offending.map((file) => file.name)).toEqual([]);
  });

  it('only sync/ writes mirror tables', () => {
    const writes = /\.(save|insert|update|delete|upsert|remove)\(|INSERT INTO (process_definitions|process_instances|tasks)|UPDATE (process_definitions|process_instances|tasks)/;
    const readsMirror = (file: (typeof files)[number]) => file.imports.some((target) => target.includes('/mirror/'));
    const offending = files.filter(
      (file) => !['sync', 'mirror'].includes(file.folder) && readsMirror(file) && writes.test(readFileSync(join(SRC, file.name), 'utf8')),
    );
    expect(offending.map((file) => file.name)).toEqual([]);
  });
});
