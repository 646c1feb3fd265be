import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';

interface ListedTask {
  id: string;
  businessKey: string;
  assignee: string | null;
  owner: string | null;
  priority: number;
  dueAt: string | null;
  state: string;
}

describe('tasks through the gateway (real engine, mirror reads)', () => {
  let gateway: RunningGateway;
  const run = randomUUID().slice(0, 8);
  // Camunda's default resource-id pattern: letters and digits only.
  const candidate = `cand${run}`;
  const instanceIds: string[] = [];
  const taskIdByKey = new Map<string, string>();

  async function list(query: Record<string, unknown>): Promise<{ items: ListedTask[]; nextCursor: string | null }> {
    return (
      await gateway.http
        .get('/tasks')
        .query({ processDefinitionKey: 'ticket-approval', ...query })
        .expect(200)
    ).body;
  }

  async function mine(query: Record<string, unknown> = {}): Promise<ListedTask[]> {
    const page = await list({ limit: 1000, ...query });
    return page.items.filter((task) => task.businessKey?.startsWith(`TASKS-${run}`));
  }

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
    for (const suffix of ['a', 'b', 'c']) {
      const businessKey = `TASKS-${run}-${suffix}`;
      const started = await gateway.http
        .post('/process-instances')
        .send({ processDefinitionKey: 'ticket-approval', businessKey, variables: { seed: suffix } })
        .expect(201);
      instanceIds.push(started.body.id);
      taskIdByKey.set(suffix, (await list({ processInstanceId: started.body.id })).items[0].id);
    }
    // A real candidate user: a member of the `managers` group the BPMN offers the task to.
    await engineRest('POST', '/group/create', { id: 'managers', name: 'Managers', type: 'WORKFLOW' }).catch(() => undefined);
    await engineRest('POST', '/user/create', { profile: { id: candidate, firstName: 'Candidate', lastName: run }, credentials: { password: randomUUID() } });
    await engineRest('PUT', `/group/managers/members/${candidate}`);
  });

  afterAll(async () => {
    await gateway?.close();
    await engineRest('DELETE', `/user/${candidate}`).catch(() => undefined);
    for (const id of instanceIds) await engineRest('DELETE', `/process-instance/${id}`).catch(() => undefined);
  });

  it('filters by business key, candidate group(s), candidate user through group membership, and name', async () => {
    expect((await list({ businessKey: `TASKS-${run}-b` })).items.map((task) => task.id)).toEqual([taskIdByKey.get('b')]);
    expect(await mine({ candidateGroup: 'managers' })).toHaveLength(3);
    expect(await mine({ candidateGroups: 'nobody,managers' })).toHaveLength(3);
    expect(await mine({ candidateGroups: 'nobody' })).toHaveLength(0);
    expect(await mine({ candidateUser: candidate })).toHaveLength(3);
    expect(await mine({ candidateUser: `stranger-${run}` })).toHaveLength(0);
    expect(await mine({ nameLike: 'APPROV' })).toHaveLength(3);
    expect(await mine({ nameLike: '%' })).toHaveLength(0);
    expect(await mine({ createdAfter: new Date(Date.now() + 60_000).toISOString() })).toHaveLength(0);
  });

  it('exactly one of two concurrent claims wins; the other gets 409', async () => {
    const id = taskIdByKey.get('a')!;
    const [first, second] = await Promise.all(['ann', 'bob'].map((userId) => gateway.http.post(`/tasks/${id}/claim`).send({ userId })));
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body).toMatchObject({ status: 409, code: 'CAMUNDA_CONFLICT' });
    const winner = first.status === 200 ? 'ann' : 'bob';
    expect((await gateway.http.get(`/tasks/${id}`).expect(200)).body).toMatchObject({ assignee: winner, state: 'ASSIGNED' });
    expect((await mine({ unassigned: true })).map((task) => task.id)).not.toContain(id);
    expect((await mine({ assignee: winner })).map((task) => task.id)).toEqual([id]);
  });

  it('unclaims, assigns and clears the assignee', async () => {
    const id = taskIdByKey.get('a')!;
    await gateway.http
      .post(`/tasks/${id}/unclaim`)
      .expect(200)
      .then((response) => expect(response.body).toMatchObject({ assignee: null, state: 'CREATED' }));
    await gateway.http
      .post(`/tasks/${id}/assign`)
      .send({ userId: 'carol' })
      .expect(200)
      .then((response) => expect(response.body).toMatchObject({ assignee: 'carol', state: 'ASSIGNED' }));
    await gateway.http
      .post(`/tasks/${id}/assign`)
      .send({ userId: null })
      .expect(200)
      .then((response) => expect(response.body).toMatchObject({ assignee: null }));
  });

  it('delegates to a helper and resolves back to the owner', async () => {
    const id = taskIdByKey.get('b')!;
    await gateway.http.post(`/tasks/${id}/claim`).send({ userId: 'demo' }).expect(200);
    const delegated = await gateway.http.post(`/tasks/${id}/delegate`).send({ userId: 'helper' }).expect(200);
    expect(delegated.body).toMatchObject({ assignee: 'helper', owner: 'demo' });
    const resolved = await gateway.http
      .post(`/tasks/${id}/resolve`)
      .send({ variables: { checked: true } })
      .expect(200);
    expect(resolved.body).toMatchObject({ assignee: 'demo', owner: 'demo', state: 'ASSIGNED' });
    const variables = await gateway.http.get(`/tasks/${id}/form-variables`).expect(200);
    expect(variables.body).toMatchObject({ checked: { value: true, type: 'Boolean' }, seed: { value: 'b', type: 'String' } });
  });

  it('sets due dates and priorities, and sorts and pages by them', async () => {
    const due = '2030-05-06T07:08:09.000Z';
    const updated = await gateway.http
      .patch(`/tasks/${taskIdByKey.get('c')}`)
      .send({ dueAt: due, priority: 90 })
      .expect(200);
    expect(updated.body).toMatchObject({ priority: 90, dueAt: due });
    await gateway.http
      .patch(`/tasks/${taskIdByKey.get('a')}`)
      .send({ priority: 10 })
      .expect(200);
    expect((await mine({ dueBefore: '2030-06-01T00:00:00Z', dueAfter: '2030-05-01T00:00:00Z' })).map((task) => task.id)).toEqual([taskIdByKey.get('c')]);

    const byPriority = (await mine({ sortBy: 'priority', sortOrder: 'desc' })).map((task) => task.priority);
    expect(byPriority).toEqual([90, 50, 10]);

    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ListedTask[]; nextCursor: string | null } = await list({
        businessKey: undefined,
        sortBy: 'priority',
        sortOrder: 'desc',
        limit: 1,
        ...(cursor ? { cursor } : {}),
      });
      walked.push(...page.items.filter((task) => task.businessKey?.startsWith(`TASKS-${run}`)).map((task) => task.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual([taskIdByKey.get('c'), taskIdByKey.get('b'), taskIdByKey.get('a')]);

    await gateway.http
      .patch(`/tasks/${taskIdByKey.get('c')}`)
      .send({ dueAt: null })
      .expect(200)
      .then((response) => expect(response.body.dueAt).toBeNull());
  });

  it('keeps comments', async () => {
    const id = taskIdByKey.get('c')!;
    const me = (await gateway.http.get('/me').expect(200)).body.camundaUserId as string;
    const added = await gateway.http.post(`/tasks/${id}/comments`).send({ message: 'Checked with the requester' }).expect(201);
    // The caller's, not the gateway's technical engine user (whom the engine records).
    expect(added.body).toMatchObject({ message: 'Checked with the requester', userId: me });
    const comments = await gateway.http.get(`/tasks/${id}/comments`).expect(200);
    expect(comments.body).toContainEqual(expect.objectContaining({ id: added.body.id, message: 'Checked with the requester', userId: me }));
  });

  it('refuses cursors it did not make, or made for another sort order', async () => {
    await gateway.http
      .get('/tasks')
      .query({ cursor: 'garbage' })
      .expect(400)
      .then((response) => expect(response.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]));
    const page = await list({ limit: 1 });
    if (page.nextCursor) await gateway.http.get('/tasks').query({ cursor: page.nextCursor, sortBy: 'due' }).expect(400);
    await gateway.http
      .patch(`/tasks/${taskIdByKey.get('a')}`)
      .send({ priority: -1 })
      .expect(400);
  });
});
