import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { inParallel } from './support/in-parallel.js';
import { testEnv } from './support/test-env.js';

const STARTS = 24;
const CLIENTS = 8;

/**
 * A start through the gateway is mirrored by its own refresh before it answers. The polls that list it afterwards
 * (its history row, its task, its variables' creation, its "Create" log entry) find it mirrored and leave it alone:
 * every instance row keeps the read its own refresh made. Polls run every 200 ms here, so several run beside the
 * starts; the snapshots are taken once those are done, since a poll may list a start in the moment between the
 * engine's answer and the gateway's own refresh (the id is not known before), and then refresh it, as it should.
 */
describe('a gateway start is mirrored once: the polls do not refresh it again', () => {
  let gateway: RunningGateway;
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  const run = randomUUID().slice(0, 8);

  const readTimes = async (ids: string[]) =>
    new Map(
      (await mirror.query<{ id: string; read: Date }>('SELECT id, snapshot_read_at AS read FROM process_instances WHERE id = ANY($1)', [ids])).rows.map(
        (row) => [row.id, row.read.getTime()],
      ),
    );

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false', SYNC_INTERVAL_MS: '200', SYNC_OVERLAP_MS: '3000', SYNC_RECONCILE_CRON: '0 0 0 1 1 *' });
    await mirror.connect();
  });

  afterAll(async () => {
    await mirror.end();
    await gateway?.close();
  });

  it('keeps the snapshot of each start, while an out-of-band change beside them is refreshed', async () => {
    const ids = await inParallel(STARTS, CLIENTS, async (index) => {
      const started = await gateway.http
        .post('/process-instances')
        .send({ processDefinitionKey: 'ticket-approval', businessKey: `ONCE-${run}-${index}`, variables: { title: `Ticket ${index}`, amount: index } })
        .expect(201);
      return started.body.id as string;
    });
    // Waits for the polls under way, then polls once more.
    await gateway.http.post('/sync/run').expect(200);
    const afterStarts = await readTimes(ids);
    expect(afterStarts.size).toBe(STARTS);
    // The control: a change made on engine-rest, which the next poll must refresh.
    const [control, ...started] = ids;
    await engineRest('PUT', `/process-instance/${control}/variables/note`, { value: 'set in Cockpit', type: 'String' });
    await eventually(async () => expect((await readTimes([control])).get(control)).toBeGreaterThan(afterStarts.get(control)!));
    // Two deep polls more, whose windows (3 s back at least) list the starts again.
    await gateway.http.post('/sync/run').expect(200);
    await gateway.http.post('/sync/run').expect(200);
    const later = await readTimes(started);
    expect(started.filter((id) => later.get(id) !== afterStarts.get(id))).toEqual([]);
  });
});
