import { ENGINE_CLIENTS } from './camunda.module.js';
import type { DefinitionClient } from './clients/definition.client.js';
import type { DeploymentClient } from './clients/deployment.client.js';
import type { EngineInfoClient } from './clients/engine-info.client.js';
import type { HistoryClient } from './clients/history.client.js';
import type { IdentityClient } from './clients/identity.client.js';
import type { IncidentClient } from './clients/incident.client.js';
import type { InstanceClient } from './clients/instance.client.js';
import type { TaskClient } from './clients/task.client.js';
import type { VariableClient } from './clients/variable.client.js';
import { CamundaError, CamundaErrorCode } from './camunda.errors.js';
import type { EngineHttp, EngineRequest } from './engine-http.js';
import { enginePath } from './engine-path.js';

const HOSTILE_SEGMENTS = [
  '',
  '.',
  '..',
  '%2e%2e',
  '%2E.',
  '.%2e',
  '%252e%252e',
  '%25252e%25252e',
  '..;jsessionid=1',
  '%2e%2e%3b',
  'a/b',
  'a%2fb',
  'a%252Fb',
  'a\\b',
  'a%5cb',
  'a\u0000b',
  'a%00b',
  'line\nbreak',
  'lone\ud800',
  'x'.repeat(1001),
];
const SAFE_SEGMENT = 'Proc_1:3:7c1e-ä %41';

/** Stands in for the transport: records what would be sent, then stops the call there. */
class RecordingHttp {
  readonly sent: EngineRequest[] = [];
  request(_operation: string, config: EngineRequest): Promise<never> {
    this.sent.push(config);
    return Promise.reject(new Error('sent'));
  }
  requestRaw(operation: string, config: EngineRequest): Promise<never> {
    return this.request(operation, config);
  }
}

interface Clients {
  EngineInfoClient: EngineInfoClient;
  DeploymentClient: DeploymentClient;
  DefinitionClient: DefinitionClient;
  InstanceClient: InstanceClient;
  TaskClient: TaskClient;
  VariableClient: VariableClient;
  HistoryClient: HistoryClient;
  IncidentClient: IncidentClient;
  IdentityClient: IdentityClient;
}
type Call = (clients: Clients, value: string) => Promise<unknown>;
const file = { content: Buffer.from('x'), fileName: 'x.txt', mimeType: 'text/plain' };
const page = { firstResult: 0, maxResults: 1 };

// Every client method, and how a caller's value reaches it. `path: false`: the value can only reach query or body.
const CALLS: Record<string, { path: boolean; call: Call }> = {
  'EngineInfoClient.version': { path: false, call: (c) => c.EngineInfoClient.version() },
  'EngineInfoClient.identity': { path: false, call: (c) => c.EngineInfoClient.identity() },
  'DeploymentClient.deploy': {
    path: false,
    call: (c, v) => c.DeploymentClient.deploy({ name: v, source: v, tenantId: v, deployChangedOnly: false, resources: [] }),
  },
  'DeploymentClient.listDeployments': { path: false, call: (c, v) => c.DeploymentClient.listDeployments({ name: v, tenantIds: [v], ...page }) },
  'DeploymentClient.getDeployment': { path: true, call: (c, v) => c.DeploymentClient.getDeployment(v) },
  'DeploymentClient.listDeploymentResources': { path: true, call: (c, v) => c.DeploymentClient.listDeploymentResources(v) },
  'DeploymentClient.deleteDeployment': { path: true, call: (c, v) => c.DeploymentClient.deleteDeployment(v, true) },
  'DefinitionClient.listProcessDefinitions': { path: false, call: (c, v) => c.DefinitionClient.listProcessDefinitions({ key: v, ...page } as never) },
  'DefinitionClient.getProcessDefinitionXml': { path: true, call: (c, v) => c.DefinitionClient.getProcessDefinitionXml(v) },
  'DefinitionClient.setProcessDefinitionSuspended': { path: true, call: (c, v) => c.DefinitionClient.setProcessDefinitionSuspended(v, true, true) },
  'DefinitionClient.getProcessDefinitionStatistics': { path: false, call: (c, v) => c.DefinitionClient.getProcessDefinitionStatistics(v) },
  'InstanceClient.startProcessInstance': { path: true, call: (c, v) => c.InstanceClient.startProcessInstance({ key: v, tenantId: 'acme', businessKey: v }) },
  'InstanceClient.cancelProcessInstances': { path: false, call: (c, v) => c.InstanceClient.cancelProcessInstances([v], v) },
  'InstanceClient.setProcessInstanceSuspended': { path: true, call: (c, v) => c.InstanceClient.setProcessInstanceSuspended(v, true) },
  'InstanceClient.getActivityInstanceTree': { path: true, call: (c, v) => c.InstanceClient.getActivityInstanceTree(v) },
  'InstanceClient.correlateMessage': { path: false, call: (c, v) => c.InstanceClient.correlateMessage({ messageName: v, businessKey: v }) },
  'InstanceClient.throwSignal': { path: false, call: (c, v) => c.InstanceClient.throwSignal({ name: v, tenantId: v }) },
  'TaskClient.getTaskCandidates': { path: true, call: (c, v) => c.TaskClient.getTaskCandidates(v) },
  'TaskClient.getTaskHolder': { path: true, call: (c, v) => c.TaskClient.getTaskHolder(v) },
  'TaskClient.claimTask': { path: true, call: (c, v) => c.TaskClient.claimTask(v, 'demo') },
  'TaskClient.completeTask': { path: true, call: (c, v) => c.TaskClient.completeTask(v) },
  'TaskClient.unclaimTask': { path: true, call: (c, v) => c.TaskClient.unclaimTask(v) },
  'TaskClient.setTaskAssignee': { path: true, call: (c, v) => c.TaskClient.setTaskAssignee(v, null) },
  'TaskClient.delegateTask': { path: true, call: (c, v) => c.TaskClient.delegateTask(v, 'demo') },
  'TaskClient.resolveTask': { path: true, call: (c, v) => c.TaskClient.resolveTask(v) },
  'TaskClient.updateTask': { path: true, call: (c, v) => c.TaskClient.updateTask(v, { priority: 1 }) },
  'TaskClient.getTaskFormVariables': { path: true, call: (c, v) => c.TaskClient.getTaskFormVariables(v) },
  'TaskClient.listTaskComments': { path: true, call: (c, v) => c.TaskClient.listTaskComments(v) },
  'TaskClient.addTaskComment': { path: true, call: (c, v) => c.TaskClient.addTaskComment(v, 'hi') },
  // Private, but it sends requests too: reached through the instance as the client itself calls it.
  'TaskClient.listRecentTaskUpdates': {
    path: false,
    call: (c, v) => (c.TaskClient as unknown as { listRecentTaskUpdates(id: string): Promise<unknown> }).listRecentTaskUpdates(v),
  },
  'TaskClient.listOpenTasks': { path: false, call: (c) => c.TaskClient.listOpenTasks(page) },
  'TaskClient.listTaskIdsWithCandidates': { path: false, call: (c, v) => c.TaskClient.listTaskIdsWithCandidates([v], 'groups', page) },
  'TaskClient.listOpenTasksByCreation': { path: false, call: (c) => c.TaskClient.listOpenTasksByCreation(new Date(0), page) },
  'TaskClient.oldestOpenTaskCreatedAt': { path: false, call: (c) => c.TaskClient.oldestOpenTaskCreatedAt() },
  'VariableClient.getVariables': { path: true, call: (c, v) => c.VariableClient.getVariables({ kind: 'task-local', id: v }) },
  'VariableClient.getVariable': { path: true, call: (c, v) => c.VariableClient.getVariable({ kind: 'process-instance', id: 'p1' }, v) },
  'VariableClient.setVariable': { path: true, call: (c, v) => c.VariableClient.setVariable({ kind: 'task', id: 't1' }, v, 'x') },
  'VariableClient.deleteVariable': { path: true, call: (c, v) => c.VariableClient.deleteVariable({ kind: 'process-instance', id: 'p1' }, v) },
  'VariableClient.uploadVariableData': {
    path: true,
    call: (c, v) => c.VariableClient.uploadVariableData({ kind: 'process-instance', id: v }, 'f', 'File', file),
  },
  'VariableClient.downloadVariableData': { path: true, call: (c, v) => c.VariableClient.downloadVariableData({ kind: 'task', id: 't1' }, v) },
  'VariableClient.downloadHistoricVariableData': { path: true, call: (c, v) => c.VariableClient.downloadHistoricVariableData(v) },
  'HistoryClient.findHistoricProcessInstance': { path: true, call: (c, v) => c.HistoryClient.findHistoricProcessInstance(v) },
  'HistoryClient.listHistoricProcessInstances': { path: false, call: (c) => c.HistoryClient.listHistoricProcessInstances({ unfinished: true, ...page }) },
  'HistoryClient.listHistoricProcessInstancesByStart': {
    path: false,
    call: (c, v) => c.HistoryClient.listHistoricProcessInstancesByStart({ processInstanceIds: [v] }, page),
  },
  'HistoryClient.countHistoricProcessInstances': { path: false, call: (c, v) => c.HistoryClient.countHistoricProcessInstances({ processInstanceIds: [v] }) },
  'HistoryClient.listHistoricTasks': { path: false, call: (c, v) => c.HistoryClient.listHistoricTasks({ taskId: v, ...page }) },
  'HistoryClient.listHistoricTasksOfBusinessKeys': { path: false, call: (c, v) => c.HistoryClient.listHistoricTasksOfBusinessKeys([v], page) },
  'HistoryClient.listCandidateLinkChanges': {
    path: false,
    call: (c) => c.HistoryClient.listCandidateLinkChanges({ after: new Date(0), before: new Date(1), ...page }),
  },
  'HistoryClient.countCandidateLinkChanges': {
    path: false,
    call: (c) => c.HistoryClient.countCandidateLinkChanges({ after: new Date(0), before: new Date(1) }),
  },
  'HistoryClient.listHistoricActivities': { path: false, call: (c, v) => c.HistoryClient.listHistoricActivities(v) },
  'HistoryClient.listVariableChanges': { path: false, call: (c, v) => c.HistoryClient.listVariableChanges(v) },
  'HistoryClient.countHistoricVariablesOf': { path: false, call: (c, v) => c.HistoryClient.countHistoricVariablesOf([v]) },
  'HistoryClient.listHistoricVariablesOf': { path: false, call: (c, v) => c.HistoryClient.listHistoricVariablesOf([v], page) },
  'HistoryClient.listHistoricIncidents': { path: false, call: (c, v) => c.HistoryClient.listHistoricIncidents({ processInstanceId: v, ...page }) },
  'HistoryClient.listInstancesWithVariableUpdates': {
    path: false,
    call: (c) => c.HistoryClient.listInstancesWithVariableUpdates({ after: new Date(0), ...page }),
  },
  'HistoryClient.listUserOperations': { path: false, call: (c) => c.HistoryClient.listUserOperations({ after: new Date(0), firstResult: 0, maxResults: 1 }) },
  'HistoryClient.listFinishedBatches': { path: false, call: (c) => c.HistoryClient.listFinishedBatches(page) },
  'IncidentClient.listIncidents': { path: false, call: (c, v) => c.IncidentClient.listIncidents({ processInstanceId: v, ...page }) },
  'IncidentClient.annotateIncident': { path: true, call: (c, v) => c.IncidentClient.annotateIncident(v, 'note') },
  'IncidentClient.getJobOwner': { path: true, call: (c, v) => c.IncidentClient.getJobOwner(v) },
  'IncidentClient.getExternalTaskOwner': { path: true, call: (c, v) => c.IncidentClient.getExternalTaskOwner(v) },
  'IncidentClient.setJobRetries': { path: true, call: (c, v) => c.IncidentClient.setJobRetries(v, 1) },
  'IncidentClient.setExternalTaskRetries': { path: true, call: (c, v) => c.IncidentClient.setExternalTaskRetries(v, 1) },
  'IdentityClient.findUser': { path: false, call: (c, v) => c.IdentityClient.findUser(v) },
  'IdentityClient.createUser': { path: false, call: (c, v) => c.IdentityClient.createUser({ id: v, firstName: v, lastName: null, email: null }, v) },
  'IdentityClient.updateUserProfile': { path: true, call: (c, v) => c.IdentityClient.updateUserProfile({ id: v, firstName: v, lastName: null, email: null }) },
  'IdentityClient.findGroupIds': { path: false, call: (c, v) => c.IdentityClient.findGroupIds([v]) },
  'IdentityClient.listGroupIdsOfUser': { path: false, call: (c, v) => c.IdentityClient.listGroupIdsOfUser(v) },
  'IdentityClient.createGroup': { path: false, call: (c, v) => c.IdentityClient.createGroup({ id: v, name: v, type: 'WORKFLOW' }) },
  'IdentityClient.addGroupMember': { path: true, call: (c, v) => c.IdentityClient.addGroupMember('managers', v) },
  'IdentityClient.removeGroupMember': { path: true, call: (c, v) => c.IdentityClient.removeGroupMember(v, 'u1') },
  'IdentityClient.listTenantIdsOfUser': { path: false, call: (c, v) => c.IdentityClient.listTenantIdsOfUser(v) },
  'IdentityClient.createTenant': { path: false, call: (c, v) => c.IdentityClient.createTenant({ id: v, name: v }) },
  'IdentityClient.renameTenant': { path: true, call: (c, v) => c.IdentityClient.renameTenant(v, 'name') },
  'IdentityClient.addTenantUserMember': { path: true, call: (c, v) => c.IdentityClient.addTenantUserMember('acme', v) },
  'IdentityClient.removeTenantUserMember': { path: true, call: (c, v) => c.IdentityClient.removeTenantUserMember(v, 'u1') },
};

function clientsOn(http: RecordingHttp): Clients {
  return Object.fromEntries(ENGINE_CLIENTS.map((Client) => [Client.name, new Client(http as unknown as EngineHttp)])) as unknown as Clients;
}

/** What a servlet container would resolve the path to: the dot segments it would act on, after any decoding. */
function dotSegments(url: string): string[] {
  return url.split('/').flatMap((segment) => {
    let form = segment;
    for (let round = 0; round < 5; round += 1) form = safeDecode(form);
    return /^\.{1,2}(;.*)?$/.test(form) || /[/\\]/.test(form) ? [segment] : [];
  });
}

function safeDecode(form: string): string {
  try {
    return decodeURIComponent(form);
  } catch {
    return form;
  }
}

describe('engine paths', () => {
  const methods = ENGINE_CLIENTS.flatMap((Client) =>
    Object.getOwnPropertyNames(Client.prototype)
      .filter((name) => name !== 'constructor' && typeof Reflect.get(Client.prototype, name) === 'function')
      .map((name) => `${Client.name}.${name}`),
  );

  it('has a call for every method of every engine client, so a new method is walked too', () => {
    expect(Object.keys(CALLS).sort()).toEqual([...methods].sort());
  });

  describe.each(methods)('%s', (method) => {
    const { path, call } = CALLS[method] ?? { path: true, call: () => Promise.reject(new Error(`no call for ${method}`)) };

    it.each(HOSTILE_SEGMENTS.map((value) => [JSON.stringify(value).slice(0, 40), value]))('never sends a path that %s could change', async (_label, value) => {
      const http = new RecordingHttp();
      const error = await call(clientsOn(http), value).then(
        () => null,
        (failure: unknown) => failure,
      );
      if (path) {
        expect(error).toBeInstanceOf(CamundaError);
        expect((error as CamundaError).code).toBe(CamundaErrorCode.InvalidPathSegment);
        expect(http.sent).toHaveLength(0);
      } else {
        expect(http.sent.length).toBeGreaterThan(0);
      }
      for (const request of http.sent) expect(dotSegments(request.url)).toEqual([]);
    });

    it('sends a safe value as one encoded segment', async () => {
      const http = new RecordingHttp();
      await call(clientsOn(http), SAFE_SEGMENT).catch(() => undefined);
      expect(http.sent.length).toBeGreaterThan(0);
      if (path) expect(http.sent.map((request) => request.url).join(' ')).toContain(`/${encodeURIComponent(SAFE_SEGMENT)}`);
    });
  });
});

describe('enginePath', () => {
  it('takes values only as whole segments of a path below engine-rest', () => {
    const id = 'x';
    expect(() => enginePath`/task/prefix-${id}`).toThrow(/whole segment/);
    expect(() => enginePath`task/${id}`).toThrow(/start with '\/'/);
    expect(enginePath`/task/${id}/claim`).toBe('/task/x/claim');
  });
});
