import { randomUUID } from 'node:crypto';
import { taskAndExternalTaskProcess } from './fixtures/models.js';
import type { HttpClient } from './support/bearer-http.js';
import { engineRest } from './support/engine-rest.js';
import { EventCollector } from './support/event-collector.js';
import { eventually } from './support/eventually.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';
import type { OpenApiDocument } from './support/openapi-fuzzer.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];
const PUBLIC = new Set(['GET /health/live', 'GET /health/ready', 'GET /metrics']);

interface Operation {
  method: Method;
  path: string;
  name: string;
  /** Its query parameters, as the document declares them. */
  query: string[];
}

interface AcmeResources {
  instanceId: string;
  businessKey: string;
  taskId: string;
  definitionId: string;
  deploymentId: string;
  externalTaskId: string;
  incidentId: string;
}

/**
 * Two workspaces of the dev realm: acme (alice requester, mary approver, olga operator) and globex (bob approver);
 * root is the gateway admin. Each run deploys its own model into acme and works only on what it started.
 */
describe('Workspaces and roles (real Keycloak, engine, PostgreSQL, RabbitMQ)', () => {
  const run = randomUUID().slice(0, 8);
  const key = `tenancy-${run}`;
  let gateway: RunningGateway;
  let operations: Operation[];
  let alice: HttpClient;
  let mary: HttpClient;
  let olga: HttpClient;
  let bob: HttpClient;
  let rootInAcme: HttpClient;
  let acme: AcmeResources;

  async function startProbe(
    client: HttpClient,
    businessKey = `TEN-${run}-${randomUUID().slice(0, 6)}`,
  ): Promise<{ instanceId: string; taskId: string; businessKey: string }> {
    const started = await client
      .post('/process-instances')
      .send({ processDefinitionKey: key, businessKey, variables: { title: `acme secret ${run}` } })
      .expect(201);
    expect(started.body.tenantId).toBe('acme');
    const tasks = await rootInAcme.get('/tasks').query({ processInstanceId: started.body.id }).expect(200);
    return { instanceId: started.body.id, taskId: tasks.body.items[0].id, businessKey };
  }

  async function openIncident(instanceId: string): Promise<{ externalTaskId: string; incidentId: string }> {
    const [externalTask] = await engineRest<{ id: string }[]>('GET', `/external-task?processInstanceId=${instanceId}`);
    await engineRest('PUT', `/external-task/${externalTask.id}/retries`, { retries: 0 });
    const [incident] = await engineRest<{ id: string }[]>('GET', `/incident?processInstanceId=${instanceId}`);
    return { externalTaskId: externalTask.id, incidentId: incident.id };
  }

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
    [alice, mary, olga, bob] = await Promise.all(['alice', 'mary', 'olga', 'bob'].map((user) => gateway.as(user)));
    // The first requests of acme's and globex's users bring both workspaces (tenants) into being.
    await Promise.all([alice, bob].map((client) => client.get('/me').expect(200)));
    rootInAcme = await gateway.as('root', 'acme');
    const deployed = await rootInAcme
      .post('/deployments')
      .field('name', key)
      .attach('model', taskAndExternalTaskProcess(key, `topic-${run}`), `${key}.bpmn`)
      .expect(201);
    expect(deployed.body.tenantId).toBe('acme');
    const probe = await startProbe(alice);
    acme = { ...probe, definitionId: deployed.body.processDefinitions[0].id, deploymentId: deployed.body.id, ...(await openIncident(probe.instanceId)) };
    await olga
      .put(`/process-instances/${acme.instanceId}/variables/attachment/data`)
      .attach('data', Buffer.from(`acme file ${run}`), 'acme.txt')
      .expect(200);
    const document = (await gateway.anonymous.get('/docs-json').expect(200)).body as OpenApiDocument & {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] } | undefined>>;
    };
    operations = Object.entries(document.paths)
      .flatMap(([path, byMethod]) =>
        METHODS.filter((method) => byMethod[method]).map((method) => ({
          method,
          path,
          name: `${method.toUpperCase()} ${path}`,
          query: (byMethod[method]?.parameters ?? []).filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name),
        })),
      )
      .filter((operation) => !PUBLIC.has(operation.name));
  });

  afterAll(async () => {
    await gateway?.close();
    if (acme) await engineRest('DELETE', `/process-instance/${acme.instanceId}?skipCustomListeners=true`).catch(() => undefined);
  });

  /** A path of the OpenAPI document with acme's resources in it. */
  function acmePath(path: string, target: { instanceId: string; taskId: string } = acme): string {
    return path.replace(/\{(\w+)\}/g, (_, parameter: string) => {
      if (parameter === 'name') return path.endsWith('/data') ? 'attachment' : 'title';
      if (parameter === 'key') return key;
      if (path.startsWith('/tasks')) return target.taskId;
      if (path.startsWith('/process-instances')) return target.instanceId;
      if (path.startsWith('/process-definitions')) return acme.definitionId;
      if (path.startsWith('/deployments')) return acme.deploymentId;
      if (path.startsWith('/incidents')) return acme.incidentId;
      if (path.startsWith('/external-tasks')) return acme.externalTaskId;
      if (path.startsWith('/identity/workspaces')) return 'acme';
      return `unknown${run}`;
    });
  }

  /** A body each command accepts, so a refusal can only come from who sends it. */
  function send(client: HttpClient, operation: Operation, url: string) {
    const request = client[operation.method](url);
    if (operation.path.endsWith('/data') && operation.method === 'put') return request.attach('data', Buffer.from('overwritten'), 'x.txt');
    if (operation.name === 'POST /deployments')
      return request.field('name', `${key}-again`).attach('model', taskAndExternalTaskProcess(`${key}-again`, 'x'), 'again.bpmn');
    const bodies: Record<string, unknown> = {
      'POST /process-instances': { processDefinitionId: acme.definitionId },
      'PATCH /tasks/{id}': { priority: 77 },
      'POST /tasks/{id}/assign': { userId: null },
      'POST /tasks/{id}/delegate': { userId: 'someone' },
      'POST /tasks/{id}/complete': { variables: { approved: true } },
      'POST /tasks/{id}/comments': { message: 'hello' },
      'PUT /process-instances/{id}/variables/{name}': { value: 'overwritten' },
      'PUT /tasks/{id}/variables/{name}': { value: 'overwritten' },
      'PUT /incidents/{id}/annotation': { annotation: 'touched' },
      'PUT /jobs/{id}/retries': { retries: 1 },
      'PUT /external-tasks/{id}/retries': { retries: 1 },
      'POST /messages': { messageName: `never-${run}`, tenantId: 'acme' },
      'POST /signals': { name: `never-${run}`, tenantId: 'acme' },
      'POST /identity/users': { users: [] },
      'PUT /identity/workspaces/{id}': { name: 'Acme renamed' },
    };
    return operation.method === 'get' || operation.method === 'delete' ? request : request.send(bodies[operation.name] ?? {});
  }

  const acmeMarks = () => [
    acme.instanceId,
    acme.taskId,
    acme.definitionId,
    acme.deploymentId,
    acme.incidentId,
    acme.externalTaskId,
    acme.businessKey,
    '"acme"',
    `acme secret ${run}`,
  ];

  it('shows bob (globex) nothing of acme in any list', async () => {
    const lists = operations.filter((operation) => operation.method === 'get' && !operation.path.includes('{'));
    expect(lists.length).toBeGreaterThan(8);
    const leaks: string[] = [];
    for (const operation of lists) {
      const aimedAtAcme: Record<string, string> = {
        processInstanceId: acme.instanceId,
        businessKey: acme.businessKey,
        tenantId: 'acme',
        key,
        definitionKey: key,
        processDefinitionKey: key,
        workspace: 'acme',
      };
      const aimed = Object.fromEntries(Object.entries(aimedAtAcme).filter(([name]) => operation.query.includes(name)));
      for (const query of [{}, aimed]) {
        const response = await bob.get(operation.path).query(query);
        if (response.status === 403) continue;
        if (response.status !== 200) leaks.push(`${operation.name} ${JSON.stringify(query)}: ${response.status}`);
        const text = JSON.stringify(response.body);
        for (const mark of acmeMarks()) if (text.includes(mark)) leaks.push(`${operation.name} ${JSON.stringify(query)} shows ${mark}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it("answers bob 404 or 403 for every read and command on acme's instance, task, variables, files, incidents and deployment, and changes nothing", async () => {
    const targeted = operations.filter((operation) => operation.path.includes('{') || operation.method !== 'get');
    expect(targeted.length).toBeGreaterThan(40);
    const answered: string[] = [];
    for (const operation of targeted) {
      for (const [who, client] of [
        ['bob', bob],
        ['bob in globex', await gateway.as('bob', 'globex')],
      ] as const) {
        const response = await send(client, operation, acmePath(operation.path));
        if (response.status !== 403 && response.status !== 404)
          answered.push(`${who}: ${operation.name} -> ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`);
        else expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
      }
    }
    expect(answered).toEqual([]);

    const instance = await engineRest<{ suspended: boolean; ended: boolean }>('GET', `/process-instance/${acme.instanceId}`);
    expect(instance).toMatchObject({ suspended: false, ended: false });
    expect(await engineRest('GET', `/task/${acme.taskId}`)).toMatchObject({ assignee: null, priority: 50, delegationState: null });
    expect(await engineRest('GET', `/process-instance/${acme.instanceId}/variables/title`)).toMatchObject({ value: `acme secret ${run}` });
    expect(await engineRest('GET', `/process-instance/${acme.instanceId}/variables/attachment`)).toMatchObject({ type: 'File' });
    expect(await engineRest('GET', `/external-task/${acme.externalTaskId}`)).toMatchObject({ retries: 0 });
    expect((await engineRest<{ annotation: string | null }[]>('GET', `/incident?incidentId=${acme.incidentId}`))[0].annotation).toBeNull();
    expect(await engineRest<unknown[]>('GET', `/task/${acme.taskId}/comment`)).toEqual([]);
    expect(await engineRest('GET', `/deployment/${acme.deploymentId}`)).toMatchObject({ id: acme.deploymentId });
    expect((await engineRest<{ suspended: boolean }>('GET', `/process-definition/${acme.definitionId}`)).suspended).toBe(false);
  });

  // Who may send each command: the role matrix of the README. A command missing here fails the test, so none ships undecided.
  // `admin` is an admin of acme only (root with X-Workspace: acme); `engine` an admin of every workspace acting
  // engine-wide (root without X-Workspace), who may send everything an admin may, and the engine-wide commands.
  const COMMANDS: Record<string, ('requester' | 'approver' | 'operator' | 'admin' | 'engine')[]> = {
    'POST /process-instances': ['requester', 'operator', 'admin'],
    'POST /process-instances/{id}/cancel': ['operator', 'admin'],
    'POST /process-instances/{id}/suspend': ['operator', 'admin'],
    'POST /process-instances/{id}/activate': ['operator', 'admin'],
    'PATCH /tasks/{id}': ['operator', 'admin'],
    'POST /tasks/{id}/claim': ['approver', 'operator', 'admin'],
    'POST /tasks/{id}/unclaim': ['approver', 'operator', 'admin'],
    'POST /tasks/{id}/assign': ['operator', 'admin'],
    'POST /tasks/{id}/delegate': ['approver', 'operator', 'admin'],
    'POST /tasks/{id}/resolve': ['approver', 'operator', 'admin'],
    'POST /tasks/{id}/complete': ['approver', 'operator', 'admin'],
    'POST /tasks/{id}/comments': ['approver', 'operator', 'admin'],
    'PUT /process-instances/{id}/variables/{name}': ['operator', 'admin'],
    'DELETE /process-instances/{id}/variables/{name}': ['operator', 'admin'],
    'PUT /process-instances/{id}/variables/{name}/data': ['operator', 'admin'],
    'PUT /tasks/{id}/variables/{name}': ['approver', 'operator', 'admin'],
    'DELETE /tasks/{id}/variables/{name}': ['approver', 'operator', 'admin'],
    'PUT /tasks/{id}/variables/{name}/data': ['approver', 'operator', 'admin'],
    'PUT /incidents/{id}/annotation': ['operator', 'admin'],
    'DELETE /incidents/{id}/annotation': ['operator', 'admin'],
    'PUT /jobs/{id}/retries': ['operator', 'admin'],
    'PUT /external-tasks/{id}/retries': ['operator', 'admin'],
    'POST /messages': ['operator', 'admin'],
    'POST /signals': ['operator', 'admin'],
    'POST /deployments': ['admin'],
    'DELETE /deployments/{id}': ['admin'],
    'POST /process-definitions/{id}/suspend': ['admin'],
    'POST /process-definitions/{id}/activate': ['admin'],
    'POST /sync/run': ['engine'],
    'POST /sync/reconcile': ['engine'],
    'POST /outbox/dead-letters/replay': ['engine'],
    'POST /outbox/dead-letters/{id}/replay': ['engine'],
    'POST /identity/users': ['engine'],
    'PUT /identity/workspaces/{id}': ['engine'],
  };

  // No job, dead letter or waiting message exists for these in this test: allowed callers get the engine's 404.
  const WITHOUT_TARGET = new Set(['PUT /jobs/{id}/retries', 'POST /messages', 'POST /outbox/dead-letters/{id}/replay']);

  it('lets each role send exactly the commands of the role matrix', async () => {
    const commands = operations.filter((operation) => operation.method !== 'get');
    expect(commands.map((operation) => operation.name).filter((name) => !(name in COMMANDS))).toEqual([]);
    const users = { requester: alice, approver: mary, operator: olga, admin: rootInAcme, engine: gateway.http };
    // Suspension of the definition last, activation right after it: every other case starts instances of it.
    const ordered = [...commands].sort((a, b) => Number(a.path.startsWith('/process-definitions')) - Number(b.path.startsWith('/process-definitions')));
    const wrong: string[] = [];
    for (const operation of ordered) {
      for (const [role, client] of Object.entries(users) as [keyof typeof users, HttpClient][]) {
        const target = await startProbe(alice);
        // Holding the task is the approver's precondition for the commands only its holder may send.
        if (role === 'approver' && /unclaim|delegate|resolve|complete|variables/.test(operation.path))
          await mary.post(`/tasks/${target.taskId}/claim`).send({}).expect(200);
        const response = await send(client, operation, acmePath(operation.path, target));
        const allowed = COMMANDS[operation.name].includes(role) || (role === 'engine' && COMMANDS[operation.name].includes('admin'));
        // Allowed: anything but a refusal of the caller; a 404 only where this test has no real target to aim at.
        const wrongly = allowed
          ? response.status === 401 || response.status === 403 || response.status >= 500 || (response.status === 404 && !WITHOUT_TARGET.has(operation.name))
          : response.status !== 403 && response.status !== 404;
        if (wrongly) wrong.push(`${role}: ${operation.name} -> ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`);
        await engineRest('DELETE', `/process-instance/${target.instanceId}?skipCustomListeners=true`).catch(() => undefined);
        // The next case starts instances of it again.
        await engineRest('PUT', `/process-definition/${acme.definitionId}/suspended`, { suspended: false, includeProcessInstances: false });
      }
    }
    expect(wrong).toEqual([]);
    // 180 cases of start, command, clean-up; variable, annotation and retry commands now also refresh their instance.
  }, 180_000);

  it('runs the ticket flow with tokens: alice starts, mary approves, bob sees nothing; Camunda has the users and memberships; events carry tenant and actor', async () => {
    const events = await EventCollector.bind();
    try {
      const [aliceMe, maryMe] = [(await alice.get('/me').expect(200)).body, (await mary.get('/me').expect(200)).body];
      expect(aliceMe.camundaUserId).toMatch(/^[a-zA-Z0-9]+$/);
      const businessKey = `TICKET-${run}`;
      const started = await alice
        .post('/process-instances')
        .send({ processDefinitionKey: 'ticket-approval', businessKey, variables: { title: 'Laptop broken' } })
        .expect(201);
      expect(started.body).toMatchObject({ tenantId: 'acme', startedBy: aliceMe.camundaUserId });
      const instanceId = started.body.id as string;
      await alice.get(`/process-instances/${instanceId}`).expect(200);

      const visible = await mary.get('/tasks').query({ processInstanceId: instanceId }).expect(200);
      expect(visible.body.items).toHaveLength(1);
      const taskId = visible.body.items[0].id as string;
      expect((await bob.get('/tasks').query({ processInstanceId: instanceId }).expect(200)).body.items).toEqual([]);
      await bob.get(`/tasks/${taskId}`).expect(404);
      // Approvers read tasks, not instances: the route itself refuses.
      await bob.get(`/process-instances/${instanceId}`).expect(403);
      await bob.get(`/process-instances/${instanceId}/variables`).expect(404);
      // Someone else's task cannot be completed, and a user id in the body is not the caller's to give.
      await mary.post(`/tasks/${taskId}/claim`).send({ userId: aliceMe.camundaUserId }).expect(403);
      const claimed = await mary.post(`/tasks/${taskId}/claim`).send({}).expect(200);
      expect(claimed.body.assignee).toBe(maryMe.camundaUserId);
      await (await gateway.as('olga')).post(`/tasks/${taskId}/unclaim`).send({}).expect(200);
      await mary.post(`/tasks/${taskId}/claim`).send({}).expect(200);
      await mary
        .post(`/tasks/${taskId}/complete`)
        .send({ variables: { approved: false } })
        .expect(200);
      await eventually(async () => expect((await alice.get(`/process-instances/${instanceId}`).expect(200)).body.state).toBe('COMPLETED'), 15_000);

      expect(await engineRest('GET', `/user/${maryMe.camundaUserId}/profile`)).toMatchObject({ id: maryMe.camundaUserId, email: expect.stringContaining('@') });
      expect((await engineRest<{ id: string }[]>('GET', `/tenant?userMember=${maryMe.camundaUserId}`)).map((tenant) => tenant.id)).toContain('acme');
      expect((await engineRest<{ id: string }[]>('GET', `/group?member=${maryMe.camundaUserId}`)).map((group) => group.id)).toContain('managers');
      expect((await engineRest<{ id: string }[]>('GET', `/tenant?userMember=${aliceMe.camundaUserId}`)).map((tenant) => tenant.id)).toEqual(['acme']);

      await eventually(
        () =>
          expect(events.typesFor(instanceId)).toEqual(
            expect.arrayContaining(['process.started', 'task.created', 'task.assigned', 'task.completed', 'process.completed']),
          ),
        15_000,
      );
      for (const event of events.forInstance(instanceId)) expect(event.body).toMatchObject({ tenantId: 'acme' });
      const startEvent = events.forInstance(instanceId).find((event) => event.routingKey === 'process.started');
      expect(startEvent?.body).toMatchObject({ actor: { camundaUserId: aliceMe.camundaUserId } });
      const completion = events.forInstance(instanceId).find((event) => event.routingKey === 'task.completed');
      expect(completion?.body).toMatchObject({ actor: { camundaUserId: maryMe.camundaUserId } });
    } finally {
      await events.close();
    }
  });
});
