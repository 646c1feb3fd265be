import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { testEnv } from './test-env.js';

/**
 * A database of the test's own, dropped and created again with the real migrations: for tests that need an empty
 * mirror (an import) or seed rows nobody else may see. Returns its URL.
 */
export async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: testEnv.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = Object.assign(new URL(testEnv.databaseUrl), { pathname: `/${name}` }).toString();
  await migrate(url);
  return url;
}

/** The real migrations, as in production; a no-op where they have run. */
export async function migrate(url: string): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }
}
