import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { SYNC_LOCK_KEY } from '../src/sync/sync.service.js';
import { externalTaskProcess, failingJobProcess, messageCatchProcess, signalCatchProcess } from './fixtures/models.js';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { testEnv } from './support/test-env.js';

describe('messages, signals, incidents and retries (real engine)', () => {
  let gateway: RunningGateway;
  const run = randomUUID().slice(0, 8);
  const deployments: string[] = [];

  async function deploy(name: string, model: Buffer): Promise<void> {
    const response = await gateway.http.post('/deployments').field('name', name).attach('model', model, `${name}.bpmn`).expect(201);
    deployments.push(response.body.id);
  }

  async function start(key: string, businessKey?: string): Promise<string> {
    return (await gateway.http.post('/process-instances').send({ processDefinitionKey: key, businessKey }).expect(201)).body.id;
  }

  async function openTaskNames(processInstanceId: string): Promise<string[]> {
    return (await gateway.http.get('/tasks').query({ processInstanceId }).expect(200)).body.items.map((task: { name: string }) => task.name);
  }

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
    await deploy(`msg${run}`, messageCatchProcess(`msg${run}`, `ticket-updated-${run}`));
    await deploy(`sig${run}`, signalCatchProcess(`sig${run}`, `maintenance-${run}`));
    await deploy(`ext${run}`, externalTaskProcess(`ext${run}`, `foreign-${run}`));
    await deploy(`job${run}`, failingJobProcess(`job${run}`));
  });

  afterAll(async () => {
    await gateway?.close();
    for (const id of deployments) await engineRest('DELETE', `/deployment/${id}?cascade=true`).catch(() => undefined);
  });

  it('correlates a message by business key, sets its variables, and the mirror shows the next task at once', async () => {
    const id = await start(`msg${run}`, `MSG-${run}-1`);
    const response = await gateway.http
      .post('/messages')
      .send({ messageName: `ticket-updated-${run}`, businessKey: `MSG-${run}-1`, variables: { reply: 'customer replied' } })
      .expect(200);
    expect(response.body.correlations).toEqual([{ resultType: 'Execution', processInstanceId: id }]);
    expect(await openTaskNames(id)).toEqual(['After message']);
    await gateway.http.get(`/process-instances/${id}/variables/reply`).expect(200, { value: 'customer replied', type: 'String' });
  });

  it('correlates by correlation keys, and to all waiting instances when asked', async () => {
    const first = await start(`msg${run}`);
    const second = await start(`msg${run}`);
    await gateway.http.put(`/process-instances/${first}/variables/ticketId`).send({ value: 1 }).expect(200);
    await gateway.http.put(`/process-instances/${second}/variables/ticketId`).send({ value: 2 }).expect(200);
    const one = await gateway.http
      .post('/messages')
      .send({ messageName: `ticket-updated-${run}`, correlationKeys: { ticketId: 2 } })
      .expect(200);
    expect(one.body.correlations.map((correlation: { processInstanceId: string }) => correlation.processInstanceId)).toEqual([second]);
    const third = await start(`msg${run}`);
    const all = await gateway.http
      .post('/messages')
      .send({ messageName: `ticket-updated-${run}`, all: true })
      .expect(200);
    expect(all.body.correlations.map((correlation: { processInstanceId: string }) => correlation.processInstanceId).sort()).toEqual([first, third].sort());
  });

  it('a message nothing waits for is a 404; one that several wait for, without all, a 409', async () => {
    await gateway.http
      .post('/messages')
      .send({ messageName: `nobody-${run}` })
      .expect(404);
    await start(`msg${run}`);
    await start(`msg${run}`);
    const ambiguous = await gateway.http
      .post('/messages')
      .send({ messageName: `ticket-updated-${run}` })
      .expect(409);
    expect(ambiguous.body.code).toBe('CAMUNDA_CONFLICT');
  });

  it('throws a signal that moves every waiting instance on', async () => {
    const ids = [await start(`sig${run}`), await start(`sig${run}`)];
    await gateway.http
      .post('/signals')
      .send({ name: `maintenance-${run}`, variables: { window: 'night' } })
      .expect(204);
    for (const id of ids) expect(await openTaskNames(id)).toEqual(['After signal']);
  });

  it('a signal thrown while another replica holds the sync lock still answers only after its sync', async () => {
    const id = await start(`sig${run}`);
    const otherReplica = new pg.Client({ connectionString: testEnv.databaseUrl });
    await otherReplica.connect();
    try {
      await otherReplica.query('SELECT pg_advisory_lock($1)', [SYNC_LOCK_KEY]);
      const answer = gateway.http
        .post('/signals')
        .send({ name: `maintenance-${run}` })
        .then((response) => response);
      // The gateway's poll is queued behind the other replica's, not skipped.
      await eventually(async () => {
        const { rows } = await otherReplica.query(
          `SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        expect(rows[0].waiting).toBeGreaterThan(0);
      });
      await otherReplica.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK_KEY]);
      expect((await answer).status).toBe(204);
      expect(await openTaskNames(id)).toEqual(['After signal']);
    } finally {
      await otherReplica.end();
    }
  });

  it('a failed external task becomes an incident; annotating and retrying it through the gateway resolves it', async () => {
    const id = await start(`ext${run}`);
    const [locked] = await engineRest<{ id: string }[]>('POST', '/external-task/fetchAndLock', {
      workerId: `foreign-${run}`,
      maxTasks: 1,
      topics: [{ topicName: `foreign-${run}`, lockDuration: 10_000 }],
    });
    await engineRest('POST', `/external-task/${locked.id}/failure`, {
      workerId: `foreign-${run}`,
      errorMessage: 'Payment provider down',
      retries: 0,
      retryTimeout: 0,
    });

    // The failure was reported to the engine, not through the gateway: it reaches the mirror with the next poll.
    const incident = await eventually(async () => {
      const [listed] = (await gateway.http.get(`/process-instances/${id}/incidents`).expect(200)).body;
      expect(listed).toMatchObject({ type: 'failedExternalTask', message: 'Payment provider down', configuration: locked.id, activityId: 'work' });
      return listed;
    });
    // Narrowed to the instance: a shared engine may hold more incidents of the type than one page.
    const all = await gateway.http.get('/incidents').query({ incidentType: 'failedExternalTask', processInstanceId: id, limit: 1000 }).expect(200);
    expect(all.body.map((listed: { id: string }) => listed.id)).toContain(incident.id);

    await gateway.http.put(`/incidents/${incident.id}/annotation`).send({ annotation: 'Provider says: back at noon' }).expect(204);
    expect((await gateway.http.get(`/process-instances/${id}/incidents`).expect(200)).body[0].annotation).toBe('Provider says: back at noon');
    await gateway.http.delete(`/incidents/${incident.id}/annotation`).expect(204);
    expect((await gateway.http.get(`/process-instances/${id}/incidents`).expect(200)).body[0].annotation).toBeNull();

    await gateway.http.put(`/external-tasks/${locked.id}/retries`).send({ retries: 2 }).expect(204);
    await gateway.http.get(`/process-instances/${id}/incidents`).expect(200, []);
  });

  it('a failing job becomes an incident; setting its retries runs it again', async () => {
    const id = await start(`job${run}`);
    const first = await eventually(
      async () => {
        const [incident] = (await gateway.http.get(`/process-instances/${id}/incidents`).expect(200)).body;
        expect(incident).toMatchObject({ type: 'failedJob', activityId: 'fail' });
        return incident;
      },
      30_000,
      250,
    );
    await gateway.http.put(`/jobs/${first.configuration}/retries`).send({ retries: 1 }).expect(204);
    // The job runs again, fails again, and a new incident replaces the resolved one.
    await eventually(
      async () => {
        const [incident] = (await gateway.http.get(`/process-instances/${id}/incidents`).expect(200)).body;
        expect(incident?.id).toBeDefined();
        expect(incident.id).not.toBe(first.id);
      },
      30_000,
      250,
    );
  });

  it('refuses negative retries and empty annotations', async () => {
    await gateway.http.put('/jobs/some-job/retries').send({ retries: -1 }).expect(400);
    await gateway.http.put('/incidents/some-incident/annotation').send({ annotation: '' }).expect(400);
  });
});
