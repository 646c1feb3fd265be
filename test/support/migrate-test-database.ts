import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { testEnv } from './test-env.js';

let migrated: Promise<void> | null = null;

/** The schema comes from the real migrations, as in production; a no-op once they have run. */
export function migrateTestDatabase(): Promise<void> {
  migrated ??= (async () => {
    const dataSource = new DataSource(dataSourceOptions(testEnv.databaseUrl));
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
  })();
  return migrated;
}
