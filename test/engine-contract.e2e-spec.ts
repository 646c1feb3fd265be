import { randomUUID } from 'node:crypto';
import { ENGINE_CLIENTS } from '../src/camunda/camunda.module.js';
import { Role, type TokenIdentity } from '../src/identity/caller.js';
import { IdentityProvisioner } from '../src/identity/identity-provisioner.js';
import { HistoryClient } from '../src/camunda/clients/history.client.js';
import { TaskClient } from '../src/camunda/clients/task.client.js';
import { failingJobProcess, taskAndExternalTaskProcess, userTaskProcess } from './fixtures/models.js';
import { engineRest } from './support/engine-rest.js';
import { EngineOpenApi } from './support/engine-openapi.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import { RecordingProxy } from './support/recording-proxy.js';
import { testEnv } from './support/test-env.js';

/** Every request the gateway sends the engine is valid against Camunda's own OpenAPI document of engine-rest. */
describe('engine-rest contract', () => {
  const openApi = new EngineOpenApi();
  const proxy = new RecordingProxy(new URL(testEnv.camundaUrl));
  // Every public method of every engine client, as `Client.method`.
  const clientMethods = ENGINE_CLIENTS.flatMap((client) =>
    Object.getOwnPropertyNames(client.prototype)
      .filter((name) => name !== 'constructor' && typeof Reflect.get(client.prototype, name) === 'function')
      .map((name) => ({ client, name, label: `${client.name}.${name}` })),
  );
  const called = new Set<string>();
  // Groups of this run only, so the gateway creates them (a group left by an earlier run would skip the create).
  const run = randomUUID().slice(0, 8);
  const roleGroups = { [Role.Approver]: `contract${run}approvers`, [Role.Operator]: `contract${run}operators` };
  const originals = new Map<string, unknown>();
  let gateway: RunningGateway;

  beforeAll(async () => {
    // Instrumentation only: records which client methods ran, so a new method without coverage fails this test.
    for (const { client, name, label } of clientMethods) {
      const original = Reflect.get(client.prototype, name) as (...args: unknown[]) => unknown;
      originals.set(label, original);
      Reflect.set(client.prototype, name, function (this: unknown, ...args: unknown[]) {
        called.add(label);
        return original.apply(this, args);
      });
    }
    await proxy.start();
    gateway = await startGateway({ CAMUNDA_URL: proxy.url, AUTH_ROLE_GROUPS: JSON.stringify(roleGroups) });
  });

  afterAll(async () => {
    await gateway?.close();
    await proxy.stop();
    for (const { client, name, label } of clientMethods) Reflect.set(client.prototype, name, originals.get(label));
  });

  it('knows a bad request when it sees one', () => {
    const bad = openApi.violations({
      method: 'POST',
      path: '/process-definition/key/x/start',
      query: new URLSearchParams({ latestVersion: 'yes' }),
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify({ businessKey: 1, variabels: {} })),
    });
    expect(bad).toEqual(
      expect.arrayContaining([
        expect.stringContaining("undeclared query parameter 'latestVersion'"),
        expect.stringContaining('body/businessKey must be string'),
        expect.stringContaining('body.variabels is not in the schema'),
      ]),
    );
    expect(
      openApi.violations({ method: 'GET', path: '/no-such-thing', query: new URLSearchParams(), contentType: undefined, body: Buffer.alloc(0) }),
    ).toHaveLength(1);
  });

  it('sends only requests that engine-rest defines, for every client method', async () => {
    const id = (
      await gateway.http
        .post('/process-instances')
        .send({
          processDefinitionKey: 'ticket-approval',
          businessKey: `CONTRACT-${randomUUID()}`,
          variables: { n: 1, j: { a: [1] }, s: 'x', b: true, z: null },
        })
        .expect(201)
    ).body.id;
    await gateway.http.post('/process-instances').send({ processDefinitionKey: 'missing-process' }).expect(404);
    await gateway.http.post(`/process-instances/${id}/suspend`).expect(200);
    await gateway.http.post(`/process-instances/${id}/activate`).expect(200);
    await gateway.http.get(`/process-instances/${id}/activity-instances`).expect(200);
    await gateway.http.get(`/process-instances/${id}/history`).expect(200);
    const doomed = (
      await gateway.http
        .post('/process-instances')
        .send({ processDefinitionKey: 'ticket-approval', tenantId: undefined, withVariablesInReturn: true })
        .expect(201)
    ).body.id;
    await gateway.http.post(`/process-instances/${doomed}/cancel`).send({ reason: 'contract' }).expect(200);
    const [task] = (await gateway.http.get('/tasks').query({ processInstanceId: id }).expect(200)).body.items;
    await gateway.http.post(`/tasks/${task.id}/claim`).send({ userId: 'demo' }).expect(200);
    await gateway.http.post(`/tasks/${task.id}/unclaim`).expect(200);
    await gateway.http.post(`/tasks/${task.id}/assign`).send({ userId: 'demo' }).expect(200);
    await gateway.http.post(`/tasks/${task.id}/delegate`).send({ userId: 'helper' }).expect(200);
    await gateway.http
      .post(`/tasks/${task.id}/resolve`)
      .send({ variables: { checked: true } })
      .expect(200);
    await gateway.http.patch(`/tasks/${task.id}`).send({ dueAt: '2030-01-01T00:00:00Z', priority: 70 }).expect(200);
    await gateway.http.get(`/tasks/${task.id}/form-variables`).expect(200);
    await gateway.http.post(`/tasks/${task.id}/comments`).send({ message: 'contract' }).expect(201);
    await gateway.http.get(`/tasks/${task.id}/comments`).expect(200);
    await gateway.http.get('/tasks').query({ candidateUser: 'demo' }).expect(200);
    await gateway.http.put(`/process-instances/${id}/variables/amount`).send({ value: 12, type: 'Long' }).expect(200);
    await gateway.http.put(`/tasks/${task.id}/variables/note`).query({ local: true }).send({ value: '2026-01-01T00:00:00Z', type: 'Date' }).expect(200);
    await gateway.http.get(`/tasks/${task.id}/variables`).expect(200);
    await gateway.http.delete(`/process-instances/${id}/variables/amount`).expect(204);
    await gateway.http.put(`/process-instances/${id}/variables/scan/data`).attach('data', Buffer.from('%PDF-1.7'), 'scan.pdf').expect(200);
    await gateway.http.get(`/process-instances/${id}/variables/scan/data`).expect(200);
    await gateway.http
      .post(`/tasks/${task.id}/complete`)
      .send({ variables: { approved: true } })
      .expect(200);
    await eventually(async () => expect((await gateway.http.get(`/process-instances/${id}`).expect(200)).body.state).toBe('COMPLETED'), 20_000);
    // Ended: the file's content now comes from the engine's history.
    await gateway.http.get(`/process-instances/${id}/variables/scan/data`).expect(200);
    await gateway.http.get('/health').expect(200);
    const deployed = (
      await gateway.http
        .post('/deployments')
        .field('name', 'contract')
        .field('tenantId', 'contract')
        .attach('p', userTaskProcess(`contract${Date.now()}`), 'contract.bpmn')
        .expect(201)
    ).body;
    const definitionId = deployed.processDefinitions[0].id;
    await gateway.http.get('/deployments').query({ name: 'contract', tenantId: 'contract', limit: 5 }).expect(200);
    await gateway.http.get(`/deployments/${deployed.id}`).expect(200);
    await gateway.http.get(`/deployments/${deployed.id}/resources`).expect(200);
    await gateway.http.get(`/process-definitions/${definitionId}/xml`).expect(200);
    await gateway.http.get(`/process-definitions/${definitionId}/statistics`).expect(200);
    await gateway.http.post(`/process-definitions/${definitionId}/suspend`).send({ includeInstances: true }).expect(200);
    await gateway.http.delete(`/deployments/${deployed.id}`).query({ cascade: true }).expect(204);
    await gateway.http
      .post('/messages')
      .send({ messageName: 'contract-nobody', businessKey: 'x', correlationKeys: { n: 1 }, variables: { v: true }, all: true })
      .expect(200);
    await gateway.http
      .post('/signals')
      .send({ name: 'contract-nobody', variables: { v: 1 } })
      .expect(204);
    await gateway.http.get('/incidents').query({ incidentType: 'failedJob', limit: 5 }).expect(200);
    const retried = `contractretry${Date.now()}`;
    await gateway.http
      .post('/deployments')
      .field('name', retried)
      .attach('a', taskAndExternalTaskProcess(retried, retried), 'a.bpmn')
      .attach('b', failingJobProcess(`${retried}job`), 'b.bpmn')
      .expect(201);
    const withExternalTask = (await gateway.http.post('/process-instances').send({ processDefinitionKey: retried }).expect(201)).body.id;
    const withJob = (
      await gateway.http
        .post('/process-instances')
        .send({ processDefinitionKey: `${retried}job` })
        .expect(201)
    ).body.id;
    const [externalTask] = await engineRest<{ id: string }[]>('GET', `/external-task?processInstanceId=${withExternalTask}`);
    await gateway.http.put(`/external-tasks/${externalTask.id}/retries`).send({ retries: 0 }).expect(204);
    const [incident] = (await gateway.http.get(`/process-instances/${withExternalTask}/incidents`).expect(200)).body;
    await gateway.http.put(`/incidents/${incident.id}/annotation`).send({ annotation: 'contract' }).expect(204);
    const [job] = await engineRest<{ id: string }[]>('GET', `/job?processInstanceId=${withJob}`);
    await gateway.http.put(`/jobs/${job.id}/retries`).send({ retries: 1 }).expect(204);
    await gateway.http
      .delete(`/deployments/${(await engineRest<{ id: string }[]>('GET', `/deployment?name=${retried}`))[0].id}`)
      .query({ cascade: true })
      .expect(204);
    await gateway.http.post('/sync/run').expect(200);
    await gateway.http.post('/sync/reconcile').expect(200);
    // Reads only a fresh mirror's import or a busy batch makes: whether the sync takes those paths here depends on
    // what the shared engine holds, so they are called directly.
    const history = gateway.app.get(HistoryClient, { strict: false });
    const tasks = gateway.app.get(TaskClient, { strict: false });
    const linkRange = { after: new Date(Date.now() - 600_000), before: new Date() };
    await history.countHistoricProcessInstances({ unfinished: true, startedBefore: new Date() });
    await history.listHistoricTasksOfBusinessKeys(['CONTRACT-none', 'CONTRACT-other'], { firstResult: 0, maxResults: 10 });
    await history.listCandidateLinkChanges({ ...linkRange, firstResult: 0, maxResults: 10 });
    await history.countCandidateLinkChanges(linkRange);
    await history.countHistoricVariablesOf([id]);
    await tasks.oldestOpenTaskCreatedAt();
    await tasks.listTaskIdsWithCandidates([id, withExternalTask], 'groups', { firstResult: 0, maxResults: 10 });
    await tasks.listTaskIdsWithCandidates([id, withExternalTask], 'users', { firstResult: 0, maxResults: 10 });
    const provisioner = gateway.app.get(IdentityProvisioner);
    const [kept, dropped] = [`contract${run}a`, `contract-${run}-b`];
    const person: TokenIdentity = {
      kind: 'user',
      issuer: 'https://idp.test/realms/contract',
      localId: randomUUID(),
      username: 'contract@example.org',
      name: 'Con Tract',
      email: 'contract@example.org',
      grants: [
        { workspace: kept, role: Role.Approver },
        { workspace: dropped, role: Role.Operator },
      ],
    };
    await provisioner.callerFor(person);
    await provisioner.callerFor({ ...person, name: 'Con Tracted', grants: [{ workspace: kept, role: Role.Approver }] });
    await gateway.http.put(`/identity/workspaces/${kept}`).send({ name: 'Contract A' }).expect(200);

    expect(clientMethods.length).toBeGreaterThan(40);
    expect(clientMethods.map(({ label }) => label).filter((label) => !called.has(label))).toEqual([]);
    const paths = new Set(proxy.requests.map((request) => `${request.method} ${request.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}`));
    expect([...paths]).toEqual(expect.arrayContaining(['POST /deployment/create', 'POST /external-task/fetchAndLock', 'POST /external-task/{id}/complete']));
    expect(proxy.requests.flatMap((request) => openApi.violations(request))).toEqual([]);
  });
});
