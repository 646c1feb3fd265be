import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { EventActor } from '../src/events/event-types.js';
import { InstanceRefresher } from '../src/sync/instance-refresher.js';
import { SyncService } from '../src/sync/sync.service.js';
import { userTaskProcess } from './fixtures/models.js';
import { deployBehindGateway, engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { testEnv } from './support/test-env.js';

/**
 * Who started an instance, and the tenant and actor on its events. The scheduled sync is off: each test says
 * which path (poll or a refresh with an actor) mirrors its instance, so no poll can get there first.
 */
describe('started by, tenant and actor on events (real engine, broker)', () => {
  const run = randomUUID().slice(0, 8);
  const key = `tenantactor${run}`;
  const tenant = `tenant${run}`;
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  let gateway: RunningGateway;
  let events: EventCollector;
  let sync: SyncService;
  let refresher: InstanceRefresher;
  let deploymentId: string;

  beforeAll(async () => {
    await mirror.connect();
    events = await EventCollector.bind();
    gateway = await startGateway({ WORKERS_ENABLED: 'false', SYNC_INTERVAL_MS: '3600000', SYNC_RECONCILE_CRON: '0 0 0 1 1 *' });
    sync = gateway.app.get(SyncService, { strict: false });
    refresher = gateway.app.get(InstanceRefresher, { strict: false });
    deploymentId = await deployBehindGateway(key, userTaskProcess(key), tenant);
  });

  afterAll(async () => {
    await gateway?.close();
    await events?.close();
    await mirror.end().catch(() => undefined);
    if (deploymentId) await engineRest('DELETE', `/deployment/${deploymentId}?cascade=true`).catch(() => undefined);
  });

  const startInTenant = (variables: Record<string, { value: unknown; type: string }> = {}) =>
    engineRest<{ id: string }>('POST', `/process-definition/key/${key}/tenant-id/${tenant}/start`, { variables });

  async function startedBy(id: string): Promise<string | null | undefined> {
    const { rows } = await mirror.query<{ started_by: string | null }>('SELECT started_by FROM process_instances WHERE id = $1', [id]);
    return rows[0]?.started_by;
  }

  it('mirrors the startedBy variable as started_by, and the gateway engine user as nobody', async () => {
    const marked = await startInTenant({ startedBy: { value: `requester${run}`, type: 'String' } });
    const unmarked = await startInTenant();
    await sync.runPoll({ waitForLock: true });
    expect(await startedBy(marked.id)).toBe(`requester${run}`);
    // Started through engine-rest as the gateway's own engine user: that names no caller.
    expect(await startedBy(unmarked.id)).toBeNull();
    const view = await gateway.http.get(`/process-instances/${marked.id}`).expect(200);
    expect(view.body).toMatchObject({ tenantId: tenant, startedBy: `requester${run}` });
  });

  it('puts the tenant on every event, in the envelope and as the x-tenant-id header; a polled change has no actor', async () => {
    const { id } = await startInTenant();
    await sync.runPoll({ waitForLock: true });
    const received = await eventually(() => {
      const mine = events.forInstance(id);
      expect(mine.map((event) => event.routingKey)).toEqual(['process.started', 'task.created']);
      return mine;
    });
    for (const event of received) {
      expect(event.body).toMatchObject({ tenantId: tenant, actor: null });
      expect(event.headers['x-tenant-id']).toBe(tenant);
      expect(event.headers).not.toHaveProperty('x-actor');
    }
    expect(events.schemaViolations()).toEqual([]);
  });

  it('names the actor of a refresh on the events it writes, and in the x-actor header', async () => {
    const actor: EventActor = { camundaUserId: `actor${run}`, localId: `local-${run}`, kind: 'user' };
    const { id } = await startInTenant();
    expect(await refresher.refreshInstance(id, { actor })).toBe(2);
    const received = await eventually(() => {
      const mine = events.forInstance(id);
      expect(mine).toHaveLength(2);
      return mine;
    });
    for (const event of received) {
      expect(event.body).toMatchObject({ tenantId: tenant, actor });
      expect(event.headers).toMatchObject({ 'x-tenant-id': tenant, 'x-actor': actor.camundaUserId });
    }
    expect(events.schemaViolations()).toEqual([]);
  });
});
