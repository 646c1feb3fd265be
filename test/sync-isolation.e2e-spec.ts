import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { EventType } from '../src/events/event-types.js';
import { restoreNul } from '../src/mirror/unstorable-text.js';
import { InstanceSnapshotReader } from '../src/sync/instance-snapshot-reader.js';
import { MirrorApplier } from '../src/sync/mirror-applier.js';
import { InstanceRefresher } from '../src/sync/instance-refresher.js';
import { userTaskProcess } from './fixtures/models.js';
import { deployBehindGateway, engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { TcpProxy, throughLocalPort } from './support/tcp-proxy.js';
import { testEnv } from './support/test-env.js';

/**
 * One instance the mirror cannot take never holds back the others; an outage is not blamed on the instances; a slow
 * engine holds no database connection; concurrent refreshes neither collide nor move the mirror backwards.
 */
describe('sync isolation', () => {
  const engine = new URL(testEnv.camundaUrl);
  const proxy = new TcpProxy(engine.hostname, Number(engine.port || 80));
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  const run = randomUUID().slice(0, 8);
  const created: string[] = [];
  let gateway: RunningGateway;

  async function rows<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    return (await mirror.query(sql, params)).rows as T[];
  }

  async function startOnEngine(suffix: string, variables: Record<string, unknown> = {}): Promise<string> {
    const { id } = await engineRest<{ id: string }>('POST', '/process-definition/key/ticket-approval/start', {
      businessKey: `ISO-${run}-${suffix}`,
      variables,
    });
    created.push(id);
    return id;
  }

  /** Runtime and history: a poison value left in history would poison every gateway polling this engine. */
  async function removeFromEngine(id: string): Promise<void> {
    await engineRest('DELETE', `/process-instance/${id}?skipCustomListeners=true`).catch(() => undefined);
    await engineRest('DELETE', `/history/process-instance/${id}`).catch(() => undefined);
  }

  async function pollCursor(): Promise<{ position: Date | null; last_error: string | null }> {
    const [cursor] = await rows<{ position: Date | null; last_error: string | null }>(
      `SELECT position, last_error FROM sync_cursors WHERE name = 'engine-changes'`,
    );
    return cursor;
  }

  beforeAll(async () => {
    await proxy.open();
    gateway = await startGateway({
      CAMUNDA_URL: throughLocalPort(testEnv.camundaUrl, proxy.listeningPort),
      CAMUNDA_TIMEOUT_MS: '2000',
      WORKERS_ENABLED: 'false',
      SYNC_PARKED_RETRY_MIN_MS: '300',
      SYNC_PARKED_RETRY_MAX_MS: '1000',
    });
    await mirror.connect();
    await gateway.http.post('/sync/run').expect(200);
  });

  afterAll(async () => {
    await mirror.end();
    await gateway?.close();
    await proxy.cut();
    for (const id of created) await removeFromEngine(id);
  });

  it('parks an instance whose refresh throws, keeps syncing the others, and mirrors it once fixed', async () => {
    // The engine stores Json it cannot parse; the gateway cannot read it back.
    const poison = await startOnEngine('bad-json', { payload: { value: '{not json', type: 'Json' } });
    const healthy = await startOnEngine('healthy');

    await eventually(async () => {
      expect(await rows('SELECT id FROM process_instances WHERE id = $1', healthy)).toHaveLength(1);
      const [parked] = await rows<{ attempts: number; error: string }>('SELECT attempts, error FROM parked_instances WHERE instance_id = $1', poison);
      // Retried with backoff: the attempts grow while it stays poisoned.
      expect(parked?.attempts).toBeGreaterThanOrEqual(2);
      expect(parked?.error).toMatch(/JSON/);
    }, 15_000);
    expect(await rows('SELECT id FROM process_instances WHERE id = $1', poison)).toHaveLength(0);

    // A later out-of-band change of another instance still reaches the mirror.
    const [task] = await engineRest<{ id: string }[]>('GET', `/task?processInstanceId=${healthy}`);
    await engineRest('POST', `/task/${task.id}/claim`, { userId: 'parking-test' });
    await eventually(async () => expect(await rows('SELECT assignee FROM tasks WHERE id = $1', task.id)).toEqual([{ assignee: 'parking-test' }]), 5_000);

    const status = await gateway.http.get('/sync/status').expect(200);
    expect(status.body.cursors.find((cursor: { name: string }) => cursor.name === 'engine-changes')).toMatchObject({ lastError: null });
    expect(status.body.parked.count).toBeGreaterThanOrEqual(1);
    expect(status.body.parked.instances).toContainEqual(expect.objectContaining({ instanceId: poison, error: expect.stringMatching(/JSON/) }));
    // The reconcile finds it open in the engine and missing from the mirror, fails to refresh it, and goes on past it.
    const attemptsBefore = (await rows<{ attempts: number }>('SELECT attempts FROM parked_instances WHERE instance_id = $1', poison))[0].attempts;
    const reconcile = await gateway.http.post('/sync/reconcile').expect(200);
    expect(reconcile.body.ran).toBe(true);
    expect((await rows<{ attempts: number }>('SELECT attempts FROM parked_instances WHERE instance_id = $1', poison))[0].attempts).toBeGreaterThan(
      attemptsBefore,
    );
    const afterReconcile = await gateway.http.get('/sync/status').expect(200);
    expect(afterReconcile.body.cursors.find((cursor: { name: string }) => cursor.name === 'reconcile')).toMatchObject({ lastError: null });

    const metrics = await gateway.http.get('/metrics').expect(200);
    expect(Number(/^camunda_gateway_sync_parked_instances (\d+)$/m.exec(metrics.text)?.[1])).toBeGreaterThanOrEqual(1);

    await engineRest('PUT', `/process-instance/${poison}/variables/payload`, { value: '{"fixed":true}', type: 'Json' });
    await eventually(async () => {
      expect(await rows('SELECT instance_id FROM parked_instances WHERE instance_id = $1', poison)).toEqual([]);
      expect(await rows('SELECT state FROM process_instances WHERE id = $1', poison)).toEqual([{ state: 'ACTIVE' }]);
      expect(await rows('SELECT value FROM variables WHERE process_instance_id = $1 AND name = $2', poison, 'payload')).toEqual([{ value: { fixed: true } }]);
    }, 10_000);
  });

  it('mirrors values PostgreSQL cannot store (U+0000) escaped and flagged, keeps the engine value, and keeps syncing the others', async () => {
    const json = { note: 'a\u0000b', 'k\u0000ey': ['\u0000', 'back\\slash'] };
    const serialized = '"x\u0000y"';
    const poison = await startOnEngine('nul', {
      payload: { value: JSON.stringify(json), type: 'Json' },
      blob: { value: serialized, type: 'Object', valueInfo: { objectTypeName: 'java.lang.String', serializationDataFormat: 'application/json' } },
    });
    try {
      const other = await startOnEngine('nul-neighbour');
      await eventually(async () => {
        expect(await rows('SELECT state FROM process_instances WHERE id = $1', poison)).toEqual([{ state: 'ACTIVE' }]);
        expect(await rows('SELECT id FROM process_instances WHERE id = $1', other)).toHaveLength(1);
      }, 10_000);
      const stored = await rows<{ name: string; value: unknown; escaped_fields: string[] }>(
        'SELECT name, value, escaped_fields FROM variables WHERE process_instance_id = $1 ORDER BY name',
        poison,
      );
      expect(stored.map(({ name, escaped_fields }) => ({ name, escaped_fields }))).toEqual([
        { name: 'blob', escaped_fields: ['value'] },
        { name: 'payload', escaped_fields: ['value'] },
      ]);
      expect(restoreNul(stored[0].value)).toBe(serialized);
      expect(restoreNul(stored[1].value)).toEqual(json);
      expect(await rows('SELECT instance_id FROM parked_instances WHERE instance_id = $1', poison)).toEqual([]);

      // The API still gives the engine's own value, and the instance reads normally.
      const variable = await gateway.http.get(`/process-instances/${poison}/variables/payload`).expect(200);
      expect(variable.body).toMatchObject({ type: 'Json', value: json });
      await gateway.http.get(`/process-instances/${poison}`).expect(200);

      const [task] = await engineRest<{ id: string }[]>('GET', `/task?processInstanceId=${other}`);
      await engineRest('POST', `/task/${task.id}/claim`, { userId: 'nul-test' });
      await eventually(async () => expect(await rows('SELECT assignee FROM tasks WHERE id = $1', task.id)).toEqual([{ assignee: 'nul-test' }]), 5_000);
      const status = await gateway.http.get('/sync/status').expect(200);
      expect(status.body.cursors.find((cursor: { name: string }) => cursor.name === 'engine-changes')).toMatchObject({ lastError: null });
    } finally {
      await removeFromEngine(poison);
    }
  });

  it('keeps answering reads from the mirror while a poll refreshes many instances against a slow engine', async () => {
    const reads = [
      () => gateway.http.get(`/tasks?businessKey=ISO-${run}-slow&limit=50`),
      () => gateway.http.get(`/process-instances?definitionKey=ticket-approval&limit=20`),
      () => gateway.http.get('/tasks?candidateGroup=managers&limit=20'),
    ];
    proxy.delayMs = 700;
    try {
      // Out of band, so one poll finds them all and refreshes them concurrently, each through several slow engine reads.
      const slow = await Promise.all(Array.from({ length: 12 }, () => startOnEngine('slow')));
      const statuses: number[] = [];
      let longTransactions = 0;
      await eventually(
        async () => {
          const answers = await Promise.all(reads.map((read) => read()));
          statuses.push(...answers.map((answer) => answer.status));
          // A transaction left open while the engine answers slowly is a pooled connection nobody else can use.
          const [{ count }] = await rows<{ count: number }>(
            `SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND xact_start < now() - interval '400 milliseconds'`,
          );
          longTransactions = Math.max(longTransactions, count);
          expect(await rows('SELECT id FROM process_instances WHERE id = ANY($1)', slow)).toHaveLength(slow.length);
        },
        60_000,
        50,
      );
      expect(statuses.length).toBeGreaterThan(reads.length * 3);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      expect(longTransactions).toBe(0);
    } finally {
      proxy.delayMs = 0;
    }
  });

  it('a refresh whose engine read began before one already applied never moves the mirror back', async () => {
    const applier = gateway.app.get(MirrorApplier, { strict: false });
    const reader = gateway.app.get(InstanceSnapshotReader, { strict: false });
    const instanceId = await startOnEngine('race');
    const [task] = await engineRest<{ id: string }[]>('GET', `/task?processInstanceId=${instanceId}`);
    const assignee = async () => (await rows<{ assignee: string | null }>('SELECT assignee FROM tasks WHERE id = $1', task.id))[0]?.assignee;

    /** A refresh that has read the engine and is held before it applies. */
    function lateRefresh(domainEvents: { type: EventType; data: Record<string, unknown> }[]) {
      let reads = 0;
      let release!: () => void;
      const mayApply = new Promise<void>((resolve) => (release = resolve));
      const done = applier.refresh(
        instanceId,
        async () => {
          const snapshot = await reader.read(instanceId);
          reads += 1;
          if (reads === 1) await mayApply;
          return snapshot;
        },
        { domainEvents },
      );
      return { done, release, reads: () => reads };
    }

    // Plain: its older snapshot is dropped.
    const plain = lateRefresh([]);
    await eventually(() => expect(plain.reads()).toBe(1));
    await engineRest('POST', `/task/${task.id}/claim`, { userId: 'racer' });
    await applier.refresh(instanceId, () => reader.read(instanceId));
    expect(await assignee()).toBe('racer');
    plain.release();
    await expect(plain.done).resolves.toBe(0);
    expect(plain.reads()).toBe(1);
    expect(await assignee()).toBe('racer');

    // With an event to write: it reads again, writes the event once, and still does not move the mirror back.
    const withEvent = lateRefresh([{ type: EventType.TicketProcessed, data: { externalTaskId: `race-${run}` } }]);
    await eventually(() => expect(withEvent.reads()).toBe(1));
    await engineRest('POST', `/task/${task.id}/unclaim`);
    await applier.refresh(instanceId, () => reader.read(instanceId));
    expect(await assignee()).toBeNull();
    await engineRest('POST', `/task/${task.id}/claim`, { userId: 'racer-again' });
    withEvent.release();
    await withEvent.done;
    expect(withEvent.reads()).toBeGreaterThanOrEqual(2);
    expect(await assignee()).toBe('racer-again');
    expect(await rows(`SELECT type FROM outbox_events WHERE process_instance_id = $1 AND type = 'ticket.processed'`, instanceId)).toHaveLength(1);
  });

  it('concurrent refreshes of the same definitions and the same instance never collide on inserts', async () => {
    const sync = gateway.app.get(InstanceRefresher, { strict: false });
    const key = `race${run}`;
    // Deployed behind the gateway's back, so every refresh below finds the definition new.
    const deploymentId = await deployBehindGateway(key, userTaskProcess(key));
    try {
      await Promise.all(Array.from({ length: 4 }, () => sync.refreshDefinitions()));
      expect(await rows('SELECT id FROM process_definitions WHERE key = $1', key)).toHaveLength(1);

      const { id } = await engineRest<{ id: string }>('POST', `/process-definition/key/${key}/start`, {});
      await Promise.all(Array.from({ length: 4 }, () => sync.refreshInstance(id)));
      expect(await rows(`SELECT type FROM outbox_events WHERE process_instance_id = $1 ORDER BY sequence`, id)).toEqual([
        { type: 'process.started' },
        { type: 'task.created' },
      ]);
    } finally {
      await engineRest('DELETE', `/deployment/${deploymentId}?cascade=true`);
    }
  });

  it('an engine outage fails the poll and keeps its cursor, parks nothing, and the sync catches up once the engine is back', async () => {
    await eventually(async () => expect((await pollCursor()).last_error).toBeNull(), 5_000);
    const [{ now: cutAt }] = await rows<{ now: Date }>('SELECT now()');
    await proxy.cut();
    const startedDuringOutage = await startOnEngine('outage');
    const failedRuns = async () =>
      rows<{ error: string }>(`SELECT error FROM sync_runs WHERE name = 'engine-changes' AND started_at > $1 AND error IS NOT NULL`, cutAt);

    // Polls run one at a time: once one has failed, none that began before the cut can still move the cursor.
    await eventually(async () => expect(await failedRuns()).not.toEqual([]), 10_000);
    const positionAtCut = (await pollCursor()).position;
    await eventually(async () => {
      const failed = await failedRuns();
      expect(failed.length).toBeGreaterThanOrEqual(3);
      for (const run of failed) expect(run.error).toMatch(/unreachable/);
    }, 10_000);
    expect((await pollCursor()).position).toEqual(positionAtCut);
    expect(await rows('SELECT instance_id FROM parked_instances WHERE last_failed_at > $1', cutAt)).toEqual([]);

    await proxy.open();
    await eventually(async () => {
      expect(await rows('SELECT state FROM process_instances WHERE id = $1', startedDuringOutage)).toEqual([{ state: 'ACTIVE' }]);
      expect((await pollCursor()).last_error).toBeNull();
    }, 10_000);
    expect(await rows('SELECT instance_id FROM parked_instances WHERE last_failed_at > $1', cutAt)).toEqual([]);
  });
});
