import { randomUUID } from 'node:crypto';
import type { HttpClient } from './support/bearer-http.js';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { createUser, deleteUser, userToken } from './support/keycloak.js';

/**
 * Holes a hostile review of the identity layer found, kept closed. Each run makes its own Keycloak users and
 * instances and looks only at those.
 */
describe('security review findings (real Keycloak, engine, PostgreSQL, RabbitMQ)', () => {
  const run = randomUUID().slice(0, 8);
  const acmeAdminName = `rvacmeadmin${run}`;
  const globexRequesterName = `rvglobexreq${run}`;
  const keycloakIds: string[] = [];
  const startedIds: string[] = [];
  let gateway: RunningGateway;
  let alice: HttpClient;
  let mary: HttpClient;
  let acmeAdmin: HttpClient;
  let globexRequester: HttpClient;

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
    keycloakIds.push((await createUser({ username: acmeAdminName, workspaces: ['acme'], roles: ['admin'] })).id);
    keycloakIds.push((await createUser({ username: globexRequesterName, workspaces: ['globex'], roles: ['requester'] })).id);
    [alice, mary] = await Promise.all([gateway.as('alice'), gateway.as('mary')]);
    acmeAdmin = gateway.withToken(await userToken(acmeAdminName));
    globexRequester = gateway.withToken(await userToken(globexRequesterName));
    // The first requests bring both workspaces (tenants, bundled models) into being.
    await Promise.all([alice, globexRequester].map((client) => client.get('/me').expect(200)));
  });

  afterAll(async () => {
    await gateway?.close();
    for (const id of startedIds) await engineRest('DELETE', `/process-instance/${id}?skipCustomListeners=true`).catch(() => undefined);
    for (const id of keycloakIds) await deleteUser(id).catch(() => undefined);
  });

  async function start(client: HttpClient, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    const request = client.post('/process-instances');
    for (const [name, value] of Object.entries(headers)) request.set(name, value);
    const response = await request.send({ processDefinitionKey: 'ticket-approval', ...body });
    if (typeof response.body?.id === 'string') startedIds.push(response.body.id);
    return response;
  }

  it('an admin of one workspace does not act engine-wide: another workspace stays out of reach, engine-wide routes are closed', async () => {
    for (const path of ['/sync/status', '/identity/users', '/outbox/dead-letters', '/health']) await acmeAdmin.get(path).expect(403);
    await acmeAdmin.post('/sync/run').expect(403);
    const businessKey = `RV-GLOBEX-${run}`;
    const started = await start(globexRequester, { businessKey, variables: { title: 'globex only' } });
    expect(started.status).toBe(201);
    const globexInstance = started.body as { id: string; tenantId: string };
    expect(globexInstance.tenantId).toBe('globex');

    expect((await acmeAdmin.get('/me').expect(200)).body.workspaces.map((access: { workspaceId: string }) => access.workspaceId)).toEqual(['acme']);
    await acmeAdmin.get(`/process-instances/${globexInstance.id}`).expect(404);
    expect((await acmeAdmin.get('/process-instances').query({ businessKey }).expect(200)).body.items).toEqual([]);
    await acmeAdmin.get(`/process-instances/${globexInstance.id}/variables`).expect(404);
  });

  it("an Idempotency-Key replays only to the caller that used it, never another workspace's answer", async () => {
    const key = `ticket-${run}`;
    const body = { businessKey: `RV-IDEM-${run}`, variables: { title: `alice private ${run}` }, withVariablesInReturn: true };
    const first = await start(alice, body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(first.body.tenantId).toBe('acme');

    const second = await start(globexRequester, body, { 'Idempotency-Key': key });
    // The same key and body from another caller is that caller's own first request, run in its own workspace.
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.body).toMatchObject({ tenantId: 'globex', startedBy: (await globexRequester.get('/me').expect(200)).body.camundaUserId });
    // Alice's own replay still replays.
    const again = await start(alice, body, { 'Idempotency-Key': key });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
  });

  async function claimedByMary(businessKey: string): Promise<{ instanceId: string; taskId: string }> {
    const started = await start(alice, { businessKey, variables: { title: 'review' } });
    expect(started.status).toBe(201);
    const instanceId = started.body.id as string;
    const taskId = await eventually(async () => {
      const [task] = (await mary.get('/tasks').query({ processInstanceId: instanceId }).expect(200)).body.items;
      expect(task).toBeDefined();
      return task.id as string;
    });
    await mary.post(`/tasks/${taskId}/claim`).send({}).expect(200);
    return { instanceId, taskId };
  }

  it('who started an instance cannot be rewritten by an approver through a task variable', async () => {
    const { instanceId, taskId } = await claimedByMary(`RV-OWNER-${run}`);
    const aliceId = (await alice.get('/me').expect(200)).body.camundaUserId as string;
    const marysId = (await mary.get('/me').expect(200)).body.camundaUserId as string;

    await mary.put(`/tasks/${taskId}/variables/startedBy`).send({ value: marysId }).expect(400);
    await mary
      .post(`/tasks/${taskId}/resolve`)
      .send({ variables: { startedBy: marysId } })
      .expect(400);
    // A task command refreshes the task's instance in the mirror before it answers.
    await mary.post(`/tasks/${taskId}/unclaim`).expect(200);

    const seen = await alice.get(`/process-instances/${instanceId}`).expect(200);
    expect(seen.body.startedBy).toBe(aliceId);
  });

  it("a comment is the caller's, not the gateway's technical engine user's", async () => {
    const { taskId } = await claimedByMary(`RV-COMMENT-${run}`);
    const marysId = (await mary.get('/me').expect(200)).body.camundaUserId as string;
    const comment = await mary
      .post(`/tasks/${taskId}/comments`)
      .send({ message: `checked ${run}` })
      .expect(201);
    expect(comment.body.userId).toBe(marysId);
    const listed = await mary.get(`/tasks/${taskId}/comments`).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ id: comment.body.id, userId: marysId, message: `checked ${run}` })]);
  });

  it('a task cannot be delegated to a user of another workspace', async () => {
    const { taskId } = await claimedByMary(`RV-DELEGATE-${run}`);
    const outsider = (await globexRequester.get('/me').expect(200)).body.camundaUserId as string;
    const delegated = await mary.post(`/tasks/${taskId}/delegate`).send({ userId: outsider }).expect(400);
    expect(delegated.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'userId' }] });
    expect(await engineRest('GET', `/task/${taskId}`)).toMatchObject({ delegationState: null });
  });
});
