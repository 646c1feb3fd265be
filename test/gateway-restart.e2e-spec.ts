import pg from 'pg';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { GatewayProcess } from './support/gateway-process.js';
import { migrateTestDatabase } from './support/migrate-test-database.js';
import { testEnv } from './support/test-env.js';

// Started in waves, so the gateway is killed while it is mirroring some and others are still to come.
const WAVES = 4;
const PER_WAVE = 20;

describe('the gateway killed mid-sync and started again', () => {
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  let events: EventCollector;
  let gateway: GatewayProcess | undefined;
  let ids: string[] = [];

  beforeAll(async () => {
    await migrateTestDatabase();
    await mirror.connect();
  });

  afterAll(async () => {
    await gateway?.stop();
    await events?.close();
    await mirror.end();
    if (ids.length > 0) await engineRest('POST', '/process-instance/delete', { processInstanceIds: ids, deleteReason: 'test cleanup' }).catch(() => undefined);
  });

  async function mirrored(): Promise<number> {
    const { rows } = await mirror.query('SELECT count(*)::int AS n FROM process_instances WHERE id = ANY($1)', [ids]);
    return rows[0].n;
  }

  // Started on engine-rest, so only the gateway's poll can bring them into the mirror.
  const wave = () =>
    Promise.all(
      Array.from({ length: PER_WAVE }, async () => (await engineRest<{ id: string }>('POST', '/process-definition/key/ticket-approval/start', {})).id),
    );

  it('converges on restart and loses no event', async () => {
    gateway = await GatewayProcess.start({ SYNC_INTERVAL_MS: '200' });
    events = await EventCollector.bind();
    ids = await wave();
    // The next wave is started while the gateway is killed: some of it mirrored, some not, a poll perhaps mid-way.
    const beingStarted = wave();
    await eventually(async () => expect(await mirrored()).toBeGreaterThan(0), 10_000, 10);
    await gateway.kill();
    ids.push(...(await beingStarted));
    for (let started = 2; started < WAVES; started++) ids.push(...(await wave()));
    const INSTANCES = WAVES * PER_WAVE;

    gateway = await GatewayProcess.start({ SYNC_INTERVAL_MS: '200' });
    await eventually(
      async () => {
        const { rows } = await mirror.query(
          `SELECT count(*)::int AS n FROM process_instances i JOIN tasks t ON t.process_instance_id = i.id WHERE i.id = ANY($1) AND i.state = 'ACTIVE' AND t.state = 'CREATED'`,
          [ids],
        );
        expect(rows[0].n).toBe(INSTANCES);
      },
      30_000,
      200,
    );

    // Every instance's two events reached the exchange, numbered 1 and 2, whatever the crash cut.
    await eventually(
      () => {
        for (const id of ids) {
          const bySequence = new Map(events.forInstance(id).map((event) => [event.body.sequence, event.routingKey]));
          expect(Object.fromEntries(bySequence)).toEqual({ 1: 'process.started', 2: 'task.created' });
        }
      },
      30_000,
      200,
    );
    const { rows } = await mirror.query('SELECT count(*)::int AS n FROM outbox_events WHERE process_instance_id = ANY($1) AND published_at IS NULL', [ids]);
    expect(rows[0].n).toBe(0);
  });
});
