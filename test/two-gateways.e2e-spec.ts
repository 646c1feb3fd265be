import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { GatewayProcess } from './support/gateway-process.js';
import { migrateTestDatabase } from './support/migrate-test-database.js';
import { testEnv } from './support/test-env.js';

describe('two gateway processes on one database', () => {
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  const replicas: GatewayProcess[] = [];
  const ids: string[] = [];

  beforeAll(async () => {
    await migrateTestDatabase();
    await mirror.connect();
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await mirror.end();
    if (ids.length > 0) await engineRest('POST', '/process-instance/delete', { processInstanceIds: ids, deleteReason: 'test cleanup' }).catch(() => undefined);
  });

  it('both serve reads; no two polls and no two reconciles ever run at once', async () => {
    const since = new Date();
    // Aggressive schedules, so both replicas keep trying: a poll every 200 ms, a reconcile every second.
    for (let i = 0; i < 2; i++) replicas.push(await GatewayProcess.start({ SYNC_INTERVAL_MS: '200', SYNC_RECONCILE_CRON: '* * * * * *' }));
    const [first, second] = replicas as [GatewayProcess, GatewayProcess];

    for (let i = 0; i < 10; i++) {
      ids.push((await engineRest<{ id: string }>('POST', '/process-definition/key/ticket-approval/start', { businessKey: `TWO-${randomUUID()}` })).id);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    await eventually(
      async () => {
        for (const id of ids) {
          const [a, b] = await Promise.all([
            first.get<{ state: string }>(`/process-instances/${id}`),
            second.get<{ state: string }>(`/process-instances/${id}`),
          ]);
          expect([a.status, b.status]).toEqual([200, 200]);
          expect(a.body.state).toBe('ACTIVE');
          expect(b.body).toEqual(a.body);
        }
      },
      10_000,
      200,
    );

    // Which replica wins a lock is up to timing: wait until each has run something rather than count on a window.
    const runs = await eventually(
      async () => {
        const { rows } = await mirror.query(
          `SELECT name, replica, started_at AS "startedAt", finished_at AS "finishedAt" FROM sync_runs WHERE started_at >= $1 AND finished_at IS NOT NULL ORDER BY started_at`,
          [since],
        );
        const found = rows as { name: string; replica: string; startedAt: Date; finishedAt: Date }[];
        expect(new Set(found.map((run) => run.name))).toEqual(new Set(['engine-changes', 'reconcile']));
        expect(new Set(found.map((run) => run.replica)).size).toBe(2);
        return found;
      },
      20_000,
      500,
    );
    // Each kind holds a lock of its own across replicas; a poll may run beside a reconcile (both refresh through
    // per-instance locks), so a long reconcile never holds the polls up.
    for (const name of ['engine-changes', 'reconcile']) {
      const ofKind = runs.filter((run) => run.name === name);
      for (let i = 1; i < ofKind.length; i++) {
        expect(ofKind[i].startedAt.getTime()).toBeGreaterThanOrEqual(ofKind[i - 1].finishedAt.getTime());
      }
    }
  });
});
