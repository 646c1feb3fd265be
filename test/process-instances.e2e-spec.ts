import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';

describe('process instances through the gateway (real engine)', () => {
  let gateway: RunningGateway;
  const run = randomUUID().slice(0, 8);
  const since = new Date(Date.now() - 1_000).toISOString();
  const started: string[] = [];

  async function start(body: Record<string, unknown>) {
    const response = await gateway.http
      .post('/process-instances')
      .send({ processDefinitionKey: 'ticket-approval', ...body })
      .expect(201);
    started.push(response.body.id);
    return response.body;
  }

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
  });

  afterAll(async () => {
    await gateway?.close();
    for (const id of started) await engineRest('DELETE', `/process-instance/${id}`).catch(() => undefined);
  });

  it('starts a definition by id and returns the variables when asked', async () => {
    const [definition] = (await gateway.http.get('/process-definitions').query({ key: 'ticket-approval', latestOnly: true }).expect(200)).body;
    const instance = await start({
      processDefinitionKey: undefined,
      processDefinitionId: definition.id,
      businessKey: `PI-${run}-id`,
      variables: { amount: { value: 7, type: 'Short' } },
      withVariablesInReturn: true,
    });
    expect(instance).toMatchObject({ definitionId: definition.id, state: 'ACTIVE', variables: { amount: { value: 7, type: 'Short' } } });
  });

  it('refuses a start naming both a key and an id', async () => {
    const response = await gateway.http.post('/process-instances').send({ processDefinitionKey: 'ticket-approval', processDefinitionId: 'x:1:y' }).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'processDefinitionId' })]);
  });

  it('lists from the mirror with filters, newest first, in cursor pages', async () => {
    for (const suffix of ['p1', 'p2', 'p3']) await start({ businessKey: `PI-${run}-${suffix}` });
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; businessKey: string }[]; nextCursor: string | null } = (
        await gateway.http
          .get('/process-instances')
          .query({ definitionKey: 'ticket-approval', state: 'ACTIVE', startedAfter: since, limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200)
      ).body;
      walked.push(...page.items.filter((item) => item.businessKey.startsWith(`PI-${run}-p`)).map((item) => item.businessKey));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual([`PI-${run}-p3`, `PI-${run}-p2`, `PI-${run}-p1`]);
    const exact = await gateway.http
      .get('/process-instances')
      .query({ businessKey: `PI-${run}-p2` })
      .expect(200);
    expect(exact.body.items.map((item: { businessKey: string }) => item.businessKey)).toEqual([`PI-${run}-p2`]);
  });

  it('suspends and activates', async () => {
    const instance = await start({ businessKey: `PI-${run}-suspend` });
    await gateway.http
      .post(`/process-instances/${instance.id}/suspend`)
      .expect(200)
      .then((response) => expect(response.body.state).toBe('SUSPENDED'));
    await gateway.http
      .post(`/process-instances/${instance.id}/activate`)
      .expect(200)
      .then((response) => expect(response.body.state).toBe('ACTIVE'));
  });

  it('cancels with a reason the engine keeps, and refuses to cancel twice', async () => {
    const instance = await start({ businessKey: `PI-${run}-cancel` });
    const cancelled = await gateway.http.post(`/process-instances/${instance.id}/cancel`).send({ reason: 'Duplicate ticket' }).expect(200);
    expect(cancelled.body).toMatchObject({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'Duplicate ticket' });
    const history = await engineRest<{ deleteReason: string }>('GET', `/history/process-instance/${instance.id}`);
    expect(history.deleteReason).toBe('Duplicate ticket');
    const again = await gateway.http.post(`/process-instances/${instance.id}/cancel`).send({}).expect(409);
    expect(again.body.code).toBe('CONFLICT');
  });

  it('shows the activity-instance tree', async () => {
    const instance = await start({ businessKey: `PI-${run}-tree` });
    const tree = await gateway.http.get(`/process-instances/${instance.id}/activity-instances`).expect(200);
    expect(tree.body).toMatchObject({ activityId: expect.stringMatching(/^ticket-approval/), activityType: 'processDefinition' });
    expect(tree.body.children).toEqual([expect.objectContaining({ activityId: 'managerApproval', activityType: 'userTask', children: [] })]);
  });

  it('gives an audit history of activities, tasks and variable changes', async () => {
    const instance = await start({ businessKey: `PI-${run}-audit`, variables: { amount: 100 } });
    await gateway.http.put(`/process-instances/${instance.id}/variables/amount`).send({ value: 250 }).expect(200);
    const history = await gateway.http.get(`/process-instances/${instance.id}/history`).expect(200);
    expect(history.body.activities.map((activity: { activityId: string }) => activity.activityId)).toEqual(['ticketSubmitted', 'managerApproval']);
    expect(history.body.tasks).toEqual([expect.objectContaining({ name: 'Manager Approval', endedAt: null })]);
    const amounts = history.body.variableChanges.filter((change: { name: string }) => change.name === 'amount');
    expect(amounts.map((change: { value: number; revision: number }) => change.value)).toEqual([100, 250]);
  });
});
