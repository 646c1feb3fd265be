import { migrate } from './own-database.js';
import { testEnv } from './test-env.js';

let migrated: Promise<void> | null = null;

/** The schema comes from the real migrations, as in production; a no-op once they have run. */
export function migrateTestDatabase(): Promise<void> {
  migrated ??= migrate(testEnv.databaseUrl);
  return migrated;
}
