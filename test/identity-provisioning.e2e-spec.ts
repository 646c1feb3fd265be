import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Role, type TokenIdentity } from '../src/identity/caller.js';
import { camundaUserIdFor } from '../src/identity/camunda-ids.js';
import { IdentityProvisioner } from '../src/identity/identity-provisioner.js';
import { IdentityStore } from '../src/identity/identity-store.js';
import { engineRest } from './support/engine-rest.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { RecordingProxy } from './support/recording-proxy.js';
import { testEnv } from './support/test-env.js';

const ENGINE_ID = /^[a-zA-Z0-9]{1,64}$/;

/** Callers mapped to Camunda users, groups and tenants, read back from the real engine's identity service. */
describe('identity provisioning (real engine and PostgreSQL)', () => {
  const run = randomUUID().slice(0, 8);
  const issuer = `https://idp.test/realms/identity-${run}`;
  const proxy = new RecordingProxy(new URL(testEnv.camundaUrl));
  let gateway: RunningGateway;
  let provisioner: IdentityProvisioner;

  const identity = (grants: TokenIdentity['grants'], overrides: Partial<TokenIdentity> = {}): TokenIdentity => ({
    kind: 'user',
    issuer,
    localId: randomUUID(),
    username: `mary.${run}@example.org`,
    name: 'Mary Ann Smith',
    email: `mary.${run}@example.org`,
    grants,
    ...overrides,
  });
  const groupsOf = async (userId: string) => (await engineRest<{ id: string }[]>('GET', `/group?member=${userId}`)).map((group) => group.id).sort();
  const tenantsOf = async (userId: string) => (await engineRest<{ id: string }[]>('GET', `/tenant?userMember=${userId}`)).map((tenant) => tenant.id).sort();

  beforeAll(async () => {
    await proxy.start();
    gateway = await startGateway({ CAMUNDA_URL: proxy.url, WORKERS_ENABLED: 'false' });
    provisioner = gateway.app.get(IdentityProvisioner);
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy.stop();
  });

  it('maps a UUID identity with an e-mail user name to a valid Camunda user with profile, groups and tenant', async () => {
    const workspace = `acme${run}`;
    const mary = identity([
      { workspace, role: Role.Approver },
      { workspace, role: Role.Requester },
    ]);
    const caller = await provisioner.callerFor(mary);

    expect(caller.camundaUserId).toMatch(ENGINE_ID);
    expect(caller.camundaUserId).toMatch(new RegExp(`^gwmary${run.replace(/[^a-z0-9]/g, '')}`.slice(0, 18)));
    expect(caller).toMatchObject({
      admin: false,
      workspaces: [{ workspaceId: workspace, tenantId: workspace, roles: [Role.Approver, Role.Requester], camundaGroupIds: ['managers', 'requesters'] }],
    });
    expect(await engineRest('GET', `/user/${caller.camundaUserId}/profile`)).toEqual({
      id: caller.camundaUserId,
      firstName: 'Mary Ann',
      lastName: 'Smith',
      email: mary.email,
    });
    expect(await groupsOf(caller.camundaUserId)).toEqual(['managers', 'requesters']);
    expect(await tenantsOf(caller.camundaUserId)).toEqual([workspace]);
    const [row] = await gateway.app
      .get(DataSource)
      .query('SELECT camunda_user_id, username, email, provisioned_at FROM identity_users WHERE issuer = $1 AND local_id = $2', [issuer, mary.localId]);
    expect(row).toMatchObject({ camunda_user_id: caller.camundaUserId, username: mary.username, email: mary.email });
    expect(row.provisioned_at).not.toBeNull();
  });

  it('provisions twenty concurrent first requests of a new identity with exactly one user create', async () => {
    const newcomer = identity([{ workspace: `acme${run}`, role: Role.Requester }], { username: `new${run}` });
    const before = proxy.requests.length;
    const callers = await Promise.all(Array.from({ length: 20 }, () => provisioner.callerFor(newcomer)));

    const userId = callers[0].camundaUserId;
    expect(new Set(callers.map((caller) => caller.camundaUserId))).toEqual(new Set([userId]));
    const creates = proxy.requests.slice(before).filter((request) => request.method === 'POST' && request.path === '/user/create');
    expect(creates.map((request) => JSON.parse(request.body.toString('utf8')).profile.id)).toEqual([userId]);
    expect(await engineRest('GET', `/user?id=${userId}`)).toHaveLength(1);
  });

  it('records each new identity once when many connections insert it at the same moment', async () => {
    const store = gateway.app.get(IdentityStore);
    const newcomers = Array.from({ length: 30 }, (_, index) => identity([], { username: `race${index}${run}` }));
    const rows = await Promise.all(newcomers.flatMap((each) => Array.from({ length: 4 }, () => store.recordUser(each, camundaUserIdFor(each)))));

    expect(new Set(rows.map((row) => row.id)).size).toBe(newcomers.length);
    const [{ count }] = await gateway.app
      .get(DataSource)
      .query('SELECT count(*)::int AS count FROM identity_users WHERE issuer = $1 AND local_id = ANY($2)', [issuer, newcomers.map((each) => each.localId)]);
    expect(count).toBe(newcomers.length);
  });

  it('provisions one identity from two replicas at once: both succeed with one Camunda user and its memberships', async () => {
    const replica = await startGateway({ CAMUNDA_URL: proxy.url, WORKERS_ENABLED: 'false' });
    try {
      const workspace = `twin${run}`;
      const twin = identity([{ workspace, role: Role.Approver }], { username: `twin${run}` });
      const callers = await Promise.all(
        [provisioner, replica.app.get(IdentityProvisioner)].flatMap((each) => Array.from({ length: 5 }, () => each.callerFor(twin))),
      );

      const userId = callers[0].camundaUserId;
      expect(new Set(callers.map((caller) => caller.camundaUserId))).toEqual(new Set([userId]));
      expect(await engineRest('GET', `/user?id=${userId}`)).toHaveLength(1);
      expect(await groupsOf(userId)).toEqual(['managers']);
      expect(await tenantsOf(userId)).toEqual([workspace]);
      expect(await tenantsOf(testEnv.camundaUser)).toContain(workspace);
    } finally {
      await replica.close();
    }
  });

  it('keeps the Camunda user id when the user name changes, and updates the profile', async () => {
    const olga = identity([], { username: `olga${run}`, name: 'Olga' });
    const first = await provisioner.callerFor(olga);
    const renamed = await provisioner.callerFor({ ...olga, username: `olga.renamed${run}`, name: 'Olga Ivanova' });
    expect(renamed.camundaUserId).toBe(first.camundaUserId);
    expect(await engineRest('GET', `/user/${first.camundaUserId}/profile`)).toMatchObject({ firstName: 'Olga', lastName: 'Ivanova' });
  });

  it('removes the memberships of a removed grant on the next request, and leaves memberships it does not manage alone', async () => {
    const [kept, dropped] = [`keep${run}`, `drop${run}`];
    const bob = identity(
      [
        { workspace: kept, role: Role.Approver },
        { workspace: dropped, role: Role.Operator },
      ],
      { username: `bob${run}` },
    );
    const { camundaUserId } = await provisioner.callerFor(bob);
    expect(await groupsOf(camundaUserId)).toEqual(['managers', 'operators']);
    expect(await tenantsOf(camundaUserId)).toEqual([dropped, kept].sort());
    const foreignGroup = `foreign${run}`;
    await engineRest('POST', '/group/create', { id: foreignGroup, name: 'not the gateway’s', type: 'WORKFLOW' });
    await engineRest('PUT', `/group/${foreignGroup}/members/${camundaUserId}`);

    const after = await provisioner.callerFor({ ...bob, grants: [{ workspace: kept, role: Role.Approver }] });

    expect(after.workspaces.map((access) => access.workspaceId)).toEqual([kept]);
    expect(await groupsOf(camundaUserId)).toEqual([foreignGroup, 'managers'].sort());
    expect(await tenantsOf(camundaUserId)).toEqual([kept]);
  });

  it('creates a new workspace’s tenant with the technical user in it, and ticket-approval starts there', async () => {
    const workspace = `team-${run}`;
    const caller = await provisioner.callerFor(identity([{ workspace, role: Role.Requester }], { username: `alice${run}` }));
    expect(caller.workspaces).toHaveLength(1);
    const { tenantId } = caller.workspaces[0];

    expect(tenantId).toMatch(/^ws[0-9a-f]{20}$/);
    expect(await engineRest('GET', `/tenant/${tenantId}`)).toEqual({ id: tenantId, name: workspace });
    expect(await tenantsOf(testEnv.camundaUser)).toContain(tenantId);
    const started = await engineRest<{ id: string; tenantId: string }>('POST', `/process-definition/key/ticket-approval/tenant-id/${tenantId}/start`, {
      businessKey: `IDENTITY-${run}`,
    });
    expect(started.tenantId).toBe(tenantId);
    await engineRest('DELETE', `/process-instance/${started.id}?skipCustomListeners=true`);
  });

  it('gives an admin on every workspace role admin in each known workspace, including one created after it was provisioned', async () => {
    await provisioner.callerFor(identity([{ workspace: `other${run}`, role: Role.Requester }], { username: `x${run}` }));
    const rootIdentity = identity([{ workspace: '*', role: Role.Admin }], { username: `root${run}` });
    const root = await provisioner.callerFor(rootIdentity);
    expect(root.admin).toBe(true);
    expect(root.workspaces).toEqual(
      expect.arrayContaining([expect.objectContaining({ workspaceId: `other${run}`, roles: [Role.Admin], camundaGroupIds: ['gatewayadmins'] })]),
    );
    expect(await tenantsOf(root.camundaUserId)).toEqual(expect.arrayContaining([`other${run}`, `acme${run}`]));

    await provisioner.callerFor(identity([{ workspace: `later${run}`, role: Role.Requester }], { username: `y${run}` }));
    const again = await provisioner.callerFor(rootIdentity);
    expect(again.workspaces.map((access) => access.workspaceId)).toContain(`later${run}`);
    expect(await tenantsOf(root.camundaUserId)).toContain(`later${run}`);
  });

  it('POST /identity/users provisions users in bulk with one result each; workspaces can be listed and renamed', async () => {
    const workspace = `bulk${run}`;
    const users = [
      { localId: randomUUID(), username: `bulka${run}`, name: 'Bulk A', grants: [{ workspace, role: Role.Approver }] },
      { localId: randomUUID(), email: `bulkb${run}@example.org`, grants: [] },
    ];
    const { results } = (await gateway.http.post('/identity/users').send({ users }).expect(200)).body;

    expect(results).toEqual([
      { localId: users[0].localId, outcome: 'provisioned', camundaUserId: expect.stringMatching(ENGINE_ID), workspaces: [workspace], error: null },
      { localId: users[1].localId, outcome: 'provisioned', camundaUserId: expect.stringMatching(ENGINE_ID), workspaces: [], error: null },
    ]);
    expect(await groupsOf(results[0].camundaUserId)).toEqual(['managers']);
    await gateway.http
      .post('/identity/users')
      .send({ users: [{ localId: 'x', grants: [{ workspace, role: 'superuser' }] }] })
      .expect(400);
    await gateway.http
      .post('/identity/users')
      .send({ users: Array.from({ length: 501 }, (_, index) => ({ localId: `u${index}`, grants: [] })) })
      .expect(400);

    const listed = (await gateway.http.get('/identity/workspaces').expect(200)).body;
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ id: workspace, name: workspace, tenantId: workspace })]));
    await gateway.http.put(`/identity/workspaces/${workspace}`).send({ name: 'Bulk Corp' }).expect(200);
    expect(await engineRest('GET', `/tenant/${workspace}`)).toEqual({ id: workspace, name: 'Bulk Corp' });

    const seen: string[] = [];
    for (let cursor: string | null | undefined = undefined; ;) {
      const page: { items: { localId: string }[]; nextCursor: string | null } = (
        await gateway.http
          .get('/identity/users')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200)
      ).body;
      seen.push(...page.items.map((item) => item.localId));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(expect.arrayContaining(users.map((user) => user.localId)));
    expect(new Set(seen).size).toBe(seen.length);
  });
});
