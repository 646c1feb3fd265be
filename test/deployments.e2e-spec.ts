import { randomUUID } from 'node:crypto';
import { brokenProcess, decision, userTaskProcess } from './fixtures/models.js';
import { engineRest } from './support/engine-rest.js';
import { startGateway, type RunningGateway } from './support/gateway-app.js';

describe('deployments and process definitions (real engine)', () => {
  let gateway: RunningGateway;
  const run = randomUUID().slice(0, 8);
  const key = `deploytest${run}`;
  const tenant = `tenant${run}`;
  let deploymentId: string;
  let definitionId: string;

  beforeAll(async () => {
    gateway = await startGateway({ WORKERS_ENABLED: 'false' });
  });

  afterAll(async () => {
    await gateway?.close();
    // Whatever a failed run left behind in the shared engine goes too.
    const leftovers = await engineRest<{ id: string }[]>('GET', `/deployment?nameLike=${encodeURIComponent(`%${run}%`)}`);
    for (const deployment of leftovers) await engineRest('DELETE', `/deployment/${deployment.id}?cascade=true`).catch(() => undefined);
  });

  it('deploys BPMN and DMN together and records the definitions in the mirror', async () => {
    const response = await gateway.http
      .post('/deployments')
      .field('name', `deploy-${run}`)
      .attach('process', userTaskProcess(key), `${key}.bpmn`)
      .attach('decision', decision(`priority${run}`), `priority-${run}.dmn`)
      .attach(
        'form',
        Buffer.from(
          JSON.stringify({ id: `form${run}`, type: 'default', schemaVersion: 4, components: [{ key: 'approved', label: 'Approved', type: 'checkbox' }] }),
        ),
        `approval-${run}.form`,
      )
      .expect(201);
    expect(response.body).toMatchObject({ name: `deploy-${run}`, source: 'camunda-gateway', tenantId: null, decisionDefinitionKeys: [`priority${run}`] });
    expect(response.body.processDefinitions).toEqual([expect.objectContaining({ key, version: 1, resourceName: `${key}.bpmn` })]);
    deploymentId = response.body.id;
    definitionId = response.body.processDefinitions[0].id;

    const mirrored = await gateway.http.get('/process-definitions').query({ key }).expect(200);
    expect(mirrored.body.map((definition: { id: string }) => definition.id)).toEqual([definitionId]);
  });

  it('deploys nothing new when nothing changed and deployChangedOnly is set', async () => {
    const again = await gateway.http
      .post('/deployments')
      .field('name', `deploy-${run}`)
      .field('deployChangedOnly', 'true')
      .attach('process', userTaskProcess(key), `${key}.bpmn`)
      .expect(201);
    expect(again.body.processDefinitions).toEqual([]);
    const latest = await gateway.http.get(`/process-definitions/key/${key}`).expect(200);
    expect(latest.body).toMatchObject({ id: definitionId, version: 1 });
  });

  it('deploys for a tenant, and starts the tenant version by key', async () => {
    const response = await gateway.http
      .post('/deployments')
      .field('name', `tenant-${run}`)
      .field('tenantId', tenant)
      .attach('process', userTaskProcess(key), `${key}.bpmn`)
      .expect(201);
    expect(response.body).toMatchObject({ tenantId: tenant, processDefinitions: [expect.objectContaining({ key, tenantId: tenant })] });
    const latestOfTenant = await gateway.http.get(`/process-definitions/key/${key}`).query({ tenantId: tenant }).expect(200);
    expect(latestOfTenant.body.tenantId).toBe(tenant);
    const started = await gateway.http.post('/process-instances').send({ processDefinitionKey: key, tenantId: tenant }).expect(201);
    expect(started.body).toMatchObject({ tenantId: tenant, definitionId: latestOfTenant.body.id });
    await gateway.http.delete(`/deployments/${response.body.id}`).query({ cascade: true }).expect(204);
  });

  it('a BPMN with a syntax error is a 400 with the element, line and column', async () => {
    const response = await gateway.http
      .post('/deployments')
      .field('name', `broken-${run}`)
      .attach('process', brokenProcess(`broken${run}`), 'broken.bpmn')
      .expect(400);
    expect(response.body).toMatchObject({ status: 400, code: 'CAMUNDA_REJECTED' });
    expect(response.body.engineProblems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resource: 'broken.bpmn',
          elementId: 'f1',
          line: expect.any(Number),
          column: expect.any(Number),
          message: expect.stringContaining('nowhere'),
        }),
      ]),
    );
  });

  it('a BPMN the engine refuses on its own rules (no historyTimeToLive) is a 400 with the reason', async () => {
    const response = await gateway.http
      .post('/deployments')
      .field('name', `nottl-${run}`)
      .attach('process', userTaskProcess(`nottl${run}`, { historyTimeToLive: false }), 'nottl.bpmn')
      .expect(400);
    expect(response.body.detail).toContain('History Time To Live');
    expect(response.body.engineProblems[0]).toMatchObject({ resource: 'nottl.bpmn', line: expect.any(Number) });
  });

  it('a file that is not XML, or not a model at all, is a 400', async () => {
    await gateway.http
      .post('/deployments')
      .field('name', `garbage-${run}`)
      .attach('process', Buffer.from('<bpmn:definitions><unclosed>'), 'garbage.bpmn')
      .expect(400);
    const wrongKind = await gateway.http.post('/deployments').field('name', `txt-${run}`).attach('notes', Buffer.from('hello'), 'notes.txt').expect(400);
    expect(wrongKind.body.errors).toEqual([expect.objectContaining({ field: 'notes.txt' })]);
    await gateway.http.post('/deployments').field('name', `empty-${run}`).expect(400);
  });

  it('lists deployments, reads one and its resources', async () => {
    const listed = await gateway.http
      .get('/deployments')
      .query({ name: `deploy-${run}` })
      .expect(200);
    expect(listed.body.map((deployment: { id: string }) => deployment.id)).toContain(deploymentId);
    await gateway.http
      .get(`/deployments/${deploymentId}`)
      .expect(200)
      .then((response) => expect(response.body.name).toBe(`deploy-${run}`));
    const resources = await gateway.http.get(`/deployments/${deploymentId}/resources`).expect(200);
    expect(resources.body.map((resource: { name: string }) => resource.name).sort()).toEqual([`approval-${run}.form`, `${key}.bpmn`, `priority-${run}.dmn`]);
  });

  it('serves the BPMN XML and statistics of a version', async () => {
    const xml = await gateway.http.get(`/process-definitions/${definitionId}/xml`).expect(200);
    expect(xml.headers['content-type']).toMatch(/^application\/xml/);
    expect(xml.text).toContain(`id="${key}"`);
    for (let i = 0; i < 2; i++) await gateway.http.post('/process-instances').send({ processDefinitionId: definitionId }).expect(201);
    const statistics = await gateway.http.get(`/process-definitions/${definitionId}/statistics`).expect(200);
    expect(statistics.body).toEqual({ definitionId, runningInstances: 2, failedJobs: 0, openIncidents: 0, incidentsByType: {} });
  });

  it('suspends a definition with its instances, and activates it again', async () => {
    const suspended = await gateway.http.post(`/process-definitions/${definitionId}/suspend`).send({ includeInstances: true }).expect(200);
    expect(suspended.body.suspended).toBe(true);
    const instances = await gateway.http.get('/process-instances').query({ definitionKey: key }).expect(200);
    const ofThisVersion = instances.body.items.filter((instance: { definitionId: string }) => instance.definitionId === definitionId);
    expect(ofThisVersion.map((instance: { state: string }) => instance.state)).toEqual(['SUSPENDED', 'SUSPENDED']);
    const refused = await gateway.http.post('/process-instances').send({ processDefinitionId: definitionId }).expect(409);
    expect(refused.body.detail).toContain('suspended');
    const active = await gateway.http.post(`/process-definitions/${definitionId}/activate`).send({ includeInstances: true }).expect(200);
    expect(active.body.suspended).toBe(false);
  });

  it('refuses to delete a deployment with running instances unless told to cascade, then marks them removed', async () => {
    const refused = await gateway.http.delete(`/deployments/${deploymentId}`).expect(409);
    expect(refused.body.code).toBe('CAMUNDA_CONFLICT');
    const before = (await gateway.http.get('/process-instances').query({ definitionKey: key, state: 'ACTIVE' }).expect(200)).body.items;
    expect(before).toHaveLength(2);
    await gateway.http.delete(`/deployments/${deploymentId}`).query({ cascade: true }).expect(204);
    for (const instance of before) {
      const after = await gateway.http.get(`/process-instances/${instance.id}`).expect(200);
      expect(after.body).toMatchObject({ state: 'EXTERNALLY_TERMINATED', deleteReason: 'removed from engine' });
    }
    await gateway.http.get(`/process-definitions/${definitionId}`).expect(404);
    await gateway.http.get(`/deployments/${deploymentId}`).expect(404);
  });
});
