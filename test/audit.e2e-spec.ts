import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AuditController } from '../src/audit/audit.controller.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { AuditRetention } from '../src/audit/audit-retention.js';
import { AccessScope } from '../src/auth/access-scope.js';
import { Role, type Caller } from '../src/identity/caller.js';
import { engineRest } from './support/engine-rest.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { testEnv } from './support/test-env.js';

interface AuditRow {
  request_id: string;
  action: string;
  resource_ids: Record<string, string>;
  outcome: number;
  actor_camunda_id: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const callerIn = (admin: boolean, workspaces: [string, Role[]][]): Caller => ({
  identity: { kind: 'user', issuer: 'https://idp.test', localId: `sub-${randomUUID()}`, username: 'reader', name: null, email: null, grants: [] },
  camundaUserId: 'gwreader',
  admin,
  workspaces: workspaces.map(([workspaceId, roles]) => ({ workspaceId, tenantId: workspaceId, roles, camundaGroupIds: [] })),
});

/**
 * The audit trail and the request id over the real stack, with tokens of the dev Keycloak: root (admin), olga
 * (operator in acme), bob (approver in globex). Paging and time filters run through the controller over rows
 * written for the test, so their order and times are known.
 */
describe('audit trail and request ids (real engine, database)', () => {
  const run = randomUUID().slice(0, 8);
  const mirror = new pg.Client({ connectionString: testEnv.databaseUrl });
  let gateway: RunningGateway;
  const startedIds: string[] = [];

  beforeAll(async () => {
    await mirror.connect();
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
  });

  afterAll(async () => {
    await gateway?.close();
    await mirror.end().catch(() => undefined);
    if (startedIds.length > 0)
      await engineRest('POST', '/process-instance/delete', { processInstanceIds: startedIds, deleteReason: 'test cleanup' }).catch(() => undefined);
  });

  async function camundaIdOf(username: string): Promise<string> {
    return (await (await gateway.as(username)).get('/me').expect(200)).body.camundaUserId;
  }

  async function auditRows(requestId: string): Promise<AuditRow[]> {
    const { rows } = await mirror.query<AuditRow>('SELECT request_id, action, resource_ids, outcome, actor_camunda_id FROM audit_log WHERE request_id = $1', [
      requestId,
    ]);
    return rows;
  }

  it('records a command with the request id sent, its route pattern, resource ids and outcome, and answers with the id', async () => {
    const started = await gateway.http
      .post('/process-instances')
      .set('X-Request-Id', `start-${run}`)
      .send({ processDefinitionKey: 'ticket-approval', businessKey: `AUDIT-${run}` })
      .expect(201);
    startedIds.push(started.body.id);
    expect(started.headers['x-request-id']).toBe(`start-${run}`);
    const suspended = await gateway.http.post(`/process-instances/${started.body.id}/suspend`).set('X-Request-Id', `suspend-${run}`).expect(200);
    expect(suspended.headers['x-request-id']).toBe(`suspend-${run}`);

    const root = await camundaIdOf('root');
    await eventually(async () => {
      expect(await auditRows(`start-${run}`)).toEqual([
        expect.objectContaining({ action: 'POST /process-instances', resource_ids: {}, outcome: 201, actor_camunda_id: root }),
      ]);
      expect(await auditRows(`suspend-${run}`)).toEqual([
        expect.objectContaining({ action: 'POST /process-instances/:id/suspend', resource_ids: { id: started.body.id }, outcome: 200 }),
      ]);
    });
  });

  it('records a refused command with its status, and the problem names the request id', async () => {
    const missingTask = randomUUID();
    const refused = await gateway.http.post(`/tasks/${missingTask}/complete`).set('X-Request-Id', `refused-${run}`).send({}).expect(404);
    expect(refused.body).toMatchObject({ status: 404, requestId: `refused-${run}` });
    const invalid = await gateway.http.post('/process-instances').set('X-Request-Id', `invalid-${run}`).send({ processDefinitionKey: 42 }).expect(400);
    expect(invalid.body.requestId).toBe(`invalid-${run}`);
    await eventually(async () => {
      expect(await auditRows(`refused-${run}`)).toEqual([
        expect.objectContaining({ action: 'POST /tasks/:id/complete', resource_ids: { id: missingTask }, outcome: 404 }),
      ]);
      expect(await auditRows(`invalid-${run}`)).toEqual([expect.objectContaining({ action: 'POST /process-instances', outcome: 400 })]);
    });
  });

  it('records a command the guard refuses after authentication, with who it was; an unauthenticated one not at all', async () => {
    const bob = await gateway.as('bob');
    const instanceId = randomUUID();
    await bob.post(`/process-instances/${instanceId}/suspend`).set('X-Request-Id', `bob-suspends-${run}`).expect(403);
    const anonymous = await gateway.anonymous.post(`/process-instances/${instanceId}/suspend`).set('X-Request-Id', `anonymous-${run}`).expect(401);
    expect(anonymous.body.requestId).toBe(`anonymous-${run}`);
    const bobId = await camundaIdOf('bob');
    await eventually(async () =>
      expect(await auditRows(`bob-suspends-${run}`)).toEqual([
        expect.objectContaining({ action: 'POST /process-instances/:id/suspend', resource_ids: { id: instanceId }, outcome: 403, actor_camunda_id: bobId }),
      ]),
    );
    expect(await auditRows(`anonymous-${run}`)).toEqual([]);
  });

  it('GET /audit: operators see their workspace only, an admin everything, others are refused', async () => {
    const olga = await gateway.as('olga');
    const action = 'POST /tasks/:id/complete';
    await olga.post(`/tasks/${randomUUID()}/complete`).set('X-Request-Id', `olga-${run}`).send({}).expect(404);
    await (await gateway.as('bob')).post(`/tasks/${randomUUID()}/complete`).set('X-Request-Id', `bob-${run}`).send({}).expect(404);
    await eventually(async () => expect([...(await auditRows(`olga-${run}`)), ...(await auditRows(`bob-${run}`))]).toHaveLength(2));

    const since = new Date(Date.now() - 60_000).toISOString();
    const seenBy = async (client: typeof olga) =>
      (await client.get('/audit').query({ action, since, limit: 1000 }).expect(200)).body.items as { requestId: string; workspace: string | null }[];
    const olgaSees = await seenBy(olga);
    expect(olgaSees.map((entry) => entry.requestId)).toContain(`olga-${run}`);
    expect(olgaSees.map((entry) => entry.requestId)).not.toContain(`bob-${run}`);
    expect(new Set(olgaSees.map((entry) => entry.workspace))).toEqual(new Set(['acme']));
    expect((await seenBy(gateway.http)).map((entry) => entry.requestId)).toEqual(expect.arrayContaining([`olga-${run}`, `bob-${run}`]));
    await (await gateway.as('bob')).get('/audit').expect(403);
  });

  it('replaces an unusable X-Request-Id with a generated one, and records no reads', async () => {
    const unusable = `bad id ${run}`;
    const answer = await gateway.http.get(`/tasks/${randomUUID()}`).set('X-Request-Id', unusable).expect(404);
    expect(answer.headers['x-request-id']).toMatch(UUID);
    expect(answer.body.requestId).toBe(answer.headers['x-request-id']);
    const read = await gateway.http.get('/process-instances').set('X-Request-Id', `read-${run}`).expect(200);
    expect(read.headers['x-request-id']).toBe(`read-${run}`);
    // A command sent after the reads is recorded: once it is there, the reads would have been too.
    await gateway.http.post(`/tasks/${randomUUID()}/claim`).set('X-Request-Id', `after-reads-${run}`).send({ userId: 'someone' }).expect(404);
    await eventually(async () => expect(await auditRows(`after-reads-${run}`)).toHaveLength(1));
    expect(await auditRows(`read-${run}`)).toEqual([]);
    expect(await auditRows(answer.headers['x-request-id'])).toEqual([]);
  });

  it('lists entries newest first in keyset pages, all to an engine-wide admin, only their workspaces to operators', async () => {
    const auditLog = gateway.app.get(AuditLog, { strict: false });
    const controller = gateway.app.get(AuditController, { strict: false });
    const ours = `ours${run}`;
    const theirs = `theirs${run}`;
    const action = `POST /test/${run}`;
    const base = Date.now() - 60_000;
    const entry = (workspace: string, index: number) => ({
      at: new Date(base + index * 1000),
      requestId: `list-${run}-${index}`,
      actorLocalId: 'sub-x',
      actorCamundaId: 'gwx',
      actorKind: 'user' as const,
      workspace,
      action,
      resourceIds: { id: `r${index}` },
      outcome: 204,
    });
    for (const [index, workspace] of [ours, ours, theirs, ours].entries()) await auditLog.record(entry(workspace, index));

    const admin = AccessScope.of(callerIn(true, []), undefined);
    const all = await controller.list({ action }, admin);
    expect(all.items.map((item) => item.requestId)).toEqual([3, 2, 1, 0].map((index) => `list-${run}-${index}`));

    const operator = AccessScope.of(
      callerIn(false, [
        [ours, [Role.Operator]],
        [theirs, [Role.Requester]],
      ]),
      undefined,
    );
    const first = await controller.list({ action, limit: 2 }, operator);
    expect(first.items.map((item) => item.requestId)).toEqual([`list-${run}-3`, `list-${run}-1`]);
    const second = await controller.list({ action, limit: 2, cursor: first.nextCursor! }, operator);
    expect(second.items.map((item) => item.requestId)).toEqual([`list-${run}-0`]);
    expect(second.nextCursor).toBeNull();
    expect((await controller.list({ action, workspace: theirs }, operator)).items).toEqual([]);
    const window = await controller.list({ action, actor: 'gwx', since: new Date(base + 1000), until: new Date(base + 3000) }, admin);
    expect(window.items.map((item) => item.requestId)).toEqual([`list-${run}-2`, `list-${run}-1`]);
  });

  it('sweeps entries older than AUDIT_RETENTION_MS and keeps the rest', async () => {
    const auditLog = gateway.app.get(AuditLog, { strict: false });
    const old = {
      at: new Date(Date.now() - 401 * 86_400_000),
      requestId: `old-${run}`,
      actorLocalId: null,
      actorCamundaId: null,
      actorKind: null,
      workspace: null,
      action: 'POST /x',
      resourceIds: {},
      outcome: 200,
    };
    await auditLog.record(old);
    await auditLog.record({ ...old, at: new Date(Date.now() - 399 * 86_400_000), requestId: `kept-${run}` });
    expect(await gateway.app.get(AuditRetention, { strict: false }).sweep()).toBeGreaterThanOrEqual(1);
    expect(await auditRows(`old-${run}`)).toEqual([]);
    expect(await auditRows(`kept-${run}`)).toHaveLength(1);
  });
});
