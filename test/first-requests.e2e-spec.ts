import { randomUUID } from 'node:crypto';
import { engineRest } from './support/engine-rest.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { createUser, deleteUser, setRealmRoles, setUserAttributes, userToken } from './support/keycloak.js';
import { RecordingProxy } from './support/recording-proxy.js';
import { testEnv } from './support/test-env.js';

/** A user new to the gateway, made in the real Keycloak for this run; the engine is watched through a proxy. */
describe('First requests of a new Keycloak user', () => {
  const proxy = new RecordingProxy(new URL(testEnv.camundaUrl));
  const username = `newcomer-${randomUUID().slice(0, 8)}`;
  let gateway: RunningGateway;
  let keycloakId: string;

  beforeAll(async () => {
    await proxy.start();
    gateway = await startGateway({ WORKERS_ENABLED: 'false', CAMUNDA_URL: proxy.url });
    keycloakId = (await createUser({ username, workspaces: ['acme'], roles: ['approver', 'requester'] })).id;
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy.stop();
    if (keycloakId) await deleteUser(keycloakId);
  });

  const userCreates = () => proxy.requests.filter((request) => request.method === 'POST' && request.path === '/user/create').length;

  it('provisions the user exactly once under twenty concurrent first requests', async () => {
    const client = gateway.withToken(await userToken(username));
    const before = userCreates();
    const answers = await Promise.all(Array.from({ length: 20 }, () => client.get('/me')));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const ids = new Set(answers.map((answer) => answer.body.camundaUserId as string));
    expect(ids.size).toBe(1);
    expect(userCreates() - before).toBe(1);
    const [camundaUserId] = [...ids];
    expect(camundaUserId).toMatch(/^[a-zA-Z0-9]+$/);
    expect(await engineRest('GET', `/user/${camundaUserId}/profile`)).toMatchObject({ id: camundaUserId, email: `${username}@example.test` });
  });

  it('brings IdP changes (a removed role, a new workspace) to Camunda on the next request', async () => {
    const camundaUserId = (
      await gateway
        .withToken(await userToken(username))
        .get('/me')
        .expect(200)
    ).body.camundaUserId as string;
    expect((await engineRest<{ id: string }[]>('GET', `/group?member=${camundaUserId}`)).map((group) => group.id)).toContain('managers');
    await setRealmRoles(keycloakId, ['requester']);
    await setUserAttributes(keycloakId, { workspaces: ['acme', 'globex'] });
    const me = (
      await gateway
        .withToken(await userToken(username))
        .get('/me')
        .expect(200)
    ).body;
    expect(me.workspaces.map((workspace: { workspaceId: string }) => workspace.workspaceId).sort()).toEqual(['acme', 'globex']);
    expect((await engineRest<{ id: string }[]>('GET', `/group?member=${camundaUserId}`)).map((group) => group.id)).not.toContain('managers');
    expect((await engineRest<{ id: string }[]>('GET', `/tenant?userMember=${camundaUserId}`)).map((tenant) => tenant.id).sort()).toEqual(['acme', 'globex']);
  });
});
