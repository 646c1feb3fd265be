import pg from 'pg';
import { testEnv } from '../test/support/test-env.js';
import { round, timed } from './measure.js';

/**
 * ANALYZE of the engine's database, once a bench has seeded it; returns how long it took, in seconds. These machines'
 * PostgreSQL runs with autovacuum off, so the engine's tables would have no statistics, and every engine query (the
 * engine-rest baselines and the gateway's own reads alike) would be planned as if the tables were empty, where a
 * production database keeps them. BENCH_ENGINE_DATABASE names it (bench_prepare in scripts/lib.sh sets the dev engine's).
 */
export async function analyzeEngineDatabase(): Promise<number> {
  const name = process.env.BENCH_ENGINE_DATABASE;
  if (!name) throw new Error("BENCH_ENGINE_DATABASE must name the engine's database (the bench scripts set it)");
  const url = new URL(testEnv.databaseUrl);
  url.pathname = `/${name}`;
  const database = new pg.Client({ connectionString: url.toString() });
  await database.connect();
  try {
    return round((await timed(() => database.query('ANALYZE'))).ms / 1000, 1);
  } finally {
    await database.end();
  }
}
