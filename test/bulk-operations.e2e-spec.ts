import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { userTaskProcess } from './fixtures/models.js';
import { deployBehindGateway, engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { testEnv } from './support/test-env.js';

const INSTANCES = 2_000;
const STARTS_AT_ONCE = 16;
const POLL_INTERVAL_MS = 1_000;
const OVERLAP_MS = 3_000;
// Waiting for the engine, not the gateway: its job executor runs 2,000 migration jobs, and the batch's monitor job
// (batchPollTime, 30 s by default) only then marks it finished.
const ENGINE_BATCH_TIMEOUT_MS = 10 * 60_000;
const STEP_TIMEOUT_MS = 15 * 60_000;

/**
 * Operations that change many instances and name none of them, made straight on engine-rest as Cockpit makes them:
 * a suspension by definition (one op-log entry naming the definition) and a batch migration (its jobs log nothing
 * per instance). Both must reach the mirror within a poll or two.
 */
describe('bulk operations on the engine reach the mirror within a poll or two', () => {
  let gateway: RunningGateway;
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  const key = `bulk-${randomUUID().slice(0, 8)}`;
  const deployments: string[] = [];
  let firstVersion: string;
  /**
   * A poll or two, each of which may have to refresh all 2,000 instances: three poll intervals plus twice what the
   * gateway took to bring the 2,000 freshly started instances into the mirror (measured in beforeAll; that import also
   * covers whatever else is open on the shared engine, so it is an upper estimate of one refresh of ours).
   */
  let withinAPollOrTwoMs: number;

  async function deployVersion(name: string, processKey = key): Promise<string> {
    const model = Buffer.from(userTaskProcess(processKey).toString().replace(`name="Test ${processKey}"`, `name="${name}"`));
    const deploymentId = await deployBehindGateway(`${processKey}-${name}`, model);
    deployments.push(deploymentId);
    const [definition] = await engineRest<{ id: string }[]>('GET', `/process-definition?deploymentId=${deploymentId}`);
    return definition.id;
  }

  async function count(sql: string, ...params: unknown[]): Promise<number> {
    return Number((await mirror.query(sql, params)).rows[0].count);
  }

  const mirroredInstances = (where: string, ...params: unknown[]) =>
    count(`SELECT count(*) FROM process_instances WHERE definition_key = $1 AND ${where}`, key, ...params);
  const openTasks = (where: string) =>
    count(`SELECT count(*) FROM tasks WHERE process_definition_key = $1 AND state IN ('CREATED', 'ASSIGNED') AND ${where}`, key);

  async function batchFinished(batchId: string): Promise<void> {
    const [historic] = await engineRest<{ endTime: string | null }[]>('GET', `/history/batch?batchId=${batchId}`);
    expect(historic?.endTime).toEqual(expect.any(String));
  }

  /** Measures how long an assertion takes to hold, failing after `timeoutMs`. */
  async function timed(assertion: () => Promise<void>, timeoutMs: number): Promise<number> {
    const started = Date.now();
    await eventually(assertion, timeoutMs, 250);
    return Date.now() - started;
  }

  beforeAll(async () => {
    await mirror.connect();
    firstVersion = await deployVersion('v1');
    const ids = Array.from({ length: INSTANCES }, (_, index) => `${key}-${index}`);
    for (let next = 0; next < ids.length; next += STARTS_AT_ONCE) {
      await Promise.all(
        ids.slice(next, next + STARTS_AT_ONCE).map((businessKey) => engineRest('POST', `/process-definition/${firstVersion}/start`, { businessKey })),
      );
    }
    const gatewayStarted = Date.now();
    // No reconcile (it would repair a missed suspension within five minutes): only the poll can make these pass.
    gateway = await startGateway({
      WORKERS_ENABLED: 'false',
      SYNC_INTERVAL_MS: String(POLL_INTERVAL_MS),
      SYNC_OVERLAP_MS: String(OVERLAP_MS),
      SYNC_RECONCILE_CRON: '0 0 0 1 1 *',
    });
    await eventually(async () => expect(await openTasks('true')).toBe(INSTANCES), STEP_TIMEOUT_MS, 250);
    const importMs = Date.now() - gatewayStarted;
    withinAPollOrTwoMs = 3 * POLL_INTERVAL_MS + 2 * importMs;
    // The bound is for steady state: the starts must have left the poll's overlap window, or a poll still refreshing
    // them would count against it.
    await eventually(
      async () => expect((await gateway.http.post('/sync/run').expect(200)).body.instancesRefreshed).toBeLessThan(INSTANCES),
      STEP_TIMEOUT_MS,
      0,
    );
    console.info(
      `bulk-operations: ${INSTANCES} instances mirrored ${importMs} ms after the gateway started; bound for a poll or two: ${withinAPollOrTwoMs} ms`,
    );
  }, STEP_TIMEOUT_MS);

  afterAll(async () => {
    await gateway?.close();
    await mirror.end();
    for (const deploymentId of deployments.reverse()) await engineRest('DELETE', `/deployment/${deploymentId}?cascade=true`);
  }, STEP_TIMEOUT_MS);

  it(
    'a Cockpit-style suspend-by-definition suspends every mirrored instance and its task',
    async () => {
      expect(await mirroredInstances(`state = 'ACTIVE'`)).toBe(INSTANCES);
      await engineRest('PUT', '/process-instance/suspended', { processDefinitionId: firstVersion, suspended: true });

      const tookMs = await timed(async () => {
        expect(await mirroredInstances(`state = 'SUSPENDED'`)).toBe(INSTANCES);
        expect(await openTasks('suspended')).toBe(INSTANCES);
      }, withinAPollOrTwoMs);
      console.info(`bulk-operations: suspension by definition of ${INSTANCES} instances mirrored after ${tookMs} ms`);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'a batch migration to a new version moves every mirrored instance to the new definition',
    async () => {
      const secondVersion = await deployVersion('v2');
      const plan = await engineRest('POST', '/migration/generate', { sourceProcessDefinitionId: firstVersion, targetProcessDefinitionId: secondVersion });
      const batch = await engineRest<{ id: string }>('POST', '/migration/executeAsync', {
        migrationPlan: plan,
        processInstanceQuery: { processDefinitionId: firstVersion },
      });
      const migratedMs = await timed(() => batchFinished(batch.id), ENGINE_BATCH_TIMEOUT_MS);
      expect(await engineRest<{ count: number }>('GET', `/process-instance/count?processDefinitionId=${secondVersion}`)).toEqual({ count: INSTANCES });

      const tookMs = await timed(async () => expect(await mirroredInstances('definition_id = $2', secondVersion)).toBe(INSTANCES), withinAPollOrTwoMs);
      // The migration keeps each instance's suspension, and the mirror with it.
      expect(await mirroredInstances(`state = 'SUSPENDED'`)).toBe(INSTANCES);
      console.info(`bulk-operations: the engine finished the migration batch after ${migratedMs} ms; the mirror had it ${tookMs} ms later`);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    'a batch suspension and a batch deletion of instances picked by id (their op-log entries name no definition) reach the mirror',
    async () => {
      const otherKey = `${key}-by-id`;
      const definitionId = await deployVersion('v1', otherKey);
      const [suspended, alsoSuspended, deleted] = await Promise.all(
        [1, 2, 3].map((index) => engineRest<{ id: string }>('POST', `/process-definition/${definitionId}/start`, { businessKey: `${otherKey}-${index}` })),
      );
      const stateOf = async (id: string) => (await mirror.query('SELECT state FROM process_instances WHERE id = $1', [id])).rows[0]?.state;
      await eventually(async () => expect(await stateOf(deleted.id)).toBe('ACTIVE'), withinAPollOrTwoMs, 250);

      const batches = await Promise.all([
        engineRest<{ id: string }>('POST', '/process-instance/suspended-async', { processInstanceIds: [suspended.id, alsoSuspended.id], suspended: true }),
        engineRest<{ id: string }>('POST', '/process-instance/delete', { processInstanceIds: [deleted.id], deleteReason: 'bulk test' }),
      ]);
      await eventually(() => Promise.all(batches.map((batch) => batchFinished(batch.id))), ENGINE_BATCH_TIMEOUT_MS, 250);
      await eventually(
        async () => {
          expect([await stateOf(suspended.id), await stateOf(alsoSuspended.id), await stateOf(deleted.id)]).toEqual([
            'SUSPENDED',
            'SUSPENDED',
            'EXTERNALLY_TERMINATED',
          ]);
        },
        withinAPollOrTwoMs,
        250,
      );
    },
    STEP_TIMEOUT_MS,
  );
});
