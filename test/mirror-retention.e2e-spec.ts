import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { MirrorRetention } from '../src/sync/mirror-retention.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { testEnv } from './support/test-env.js';

/** Ended instances older than MIRROR_RETENTION_MS leave the mirror with everything of theirs; the rest stay. */
describe('mirror retention', () => {
  const run = randomUUID().slice(0, 8);
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  let gateway: RunningGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      WORKERS_ENABLED: 'false',
      MIRROR_RETENTION_MS: String(24 * 3_600_000),
      SYNC_INTERVAL_MS: '3600000',
      SYNC_RECONCILE_CRON: '0 0 0 1 1 *',
    });
    await mirror.connect();
  });

  afterAll(async () => {
    await gateway?.close();
    // The rows it made up leave the mirror: no sync run may take them for instances the engine lost.
    for (const [table, column] of [
      ['process_instances', 'id'],
      ['tasks', 'process_instance_id'],
      ['variables', 'process_instance_id'],
    ]) {
      await mirror.query(`DELETE FROM ${table} WHERE ${column} LIKE $1`, [`%-${run}`]);
    }
    await mirror.end();
  });

  /** An instance row with a task and a variable, as the sync would have written them. */
  async function mirrored(id: string, endedAgo: string | null): Promise<void> {
    await mirror.query(
      `INSERT INTO process_instances (id, definition_id, definition_key, state, started_at, ended_at, last_synced_at)
       VALUES ($1, 'retention:1', 'retention', $2, now() - interval '30 days', now() - CAST($3 AS interval), now())`,
      [id, endedAgo ? 'COMPLETED' : 'ACTIVE', endedAgo],
    );
    await mirror.query(
      `INSERT INTO tasks (id, process_instance_id, priority, state, created_at, last_synced_at) VALUES ($1, $2, 50, 'COMPLETED', now(), now())`,
      [`${id}-task`, id],
    );
    await mirror.query(
      `INSERT INTO variables (id, process_instance_id, name, type, value, scope, last_synced_at) VALUES ($1, $2, 'title', 'String', '"x"', 'process', now())`,
      [`${id}-var`, id],
    );
  }

  const count = async (table: string, column: string, ids: string[]) =>
    Number((await mirror.query(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ANY($1)`, [ids])).rows[0].n);

  it('purges instances ended before the retention time with their tasks and variables, and keeps the others', async () => {
    const old = [`old1-${run}`, `old2-${run}`];
    const kept = [`recent-${run}`, `open-${run}`];
    await mirrored(old[0], '2 days');
    await mirrored(old[1], '400 days');
    await mirrored(kept[0], '1 hour');
    await mirrored(kept[1], null);

    await expect(gateway.app.get(MirrorRetention, { strict: false }).sweep()).resolves.toBeGreaterThanOrEqual(2);

    expect(await count('process_instances', 'id', old)).toBe(0);
    expect(await count('tasks', 'process_instance_id', old)).toBe(0);
    expect(await count('variables', 'process_instance_id', old)).toBe(0);
    expect(await count('process_instances', 'id', kept)).toBe(2);
    expect(await count('tasks', 'process_instance_id', kept)).toBe(2);
    expect(await count('variables', 'process_instance_id', kept)).toBe(2);
  });
});
