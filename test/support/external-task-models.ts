import { deployBehindGateway, engineRest } from './engine-rest.js';
import { eventually } from './eventually.js';

export interface ExternalTaskModel {
  key: string;
  topic: string;
  /** A boundary error event with this code leads to the end event `endRejected`. */
  boundaryErrorCode?: string;
  /** Input parameters of the service task (name -> literal or expression). */
  inputs?: Record<string, string>;
  /** A user task `afterWork` follows the service task, so the instance stays open after it. */
  userTaskAfter?: boolean;
}

/** start -> external service task (topic) -> end, with the optional parts above; deployed straight to the engine. */
export async function deployExternalTaskModel(model: ExternalTaskModel): Promise<void> {
  const inputs = Object.entries(model.inputs ?? {})
    .map(([name, value]) => `<camunda:inputParameter name="${name}">${value}</camunda:inputParameter>`)
    .join('');
  const boundary = model.boundaryErrorCode
    ? `<bpmn:boundaryEvent id="rejected" attachedToRef="work"><bpmn:outgoing>toRejected</bpmn:outgoing><bpmn:errorEventDefinition errorRef="rejection" /></bpmn:boundaryEvent>
       <bpmn:sequenceFlow id="toRejected" sourceRef="rejected" targetRef="endRejected" />
       <bpmn:endEvent id="endRejected"><bpmn:incoming>toRejected</bpmn:incoming></bpmn:endEvent>`
    : '';
  const after = model.userTaskAfter
    ? `<bpmn:sequenceFlow id="toEnd" sourceRef="work" targetRef="afterWork" />
       <bpmn:userTask id="afterWork" name="After work" />
       <bpmn:sequenceFlow id="afterToEnd" sourceRef="afterWork" targetRef="end" />`
    : `<bpmn:sequenceFlow id="toEnd" sourceRef="work" targetRef="end" />`;
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs-${model.key}" targetNamespace="https://camunda-gateway/test">
  ${model.boundaryErrorCode ? `<bpmn:error id="rejection" errorCode="${model.boundaryErrorCode}" />` : ''}
  <bpmn:process id="${model.key}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="toWork" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" name="Work" camunda:type="external" camunda:topic="${model.topic}">
      ${inputs ? `<bpmn:extensionElements><camunda:inputOutput>${inputs}</camunda:inputOutput></bpmn:extensionElements>` : ''}
    </bpmn:serviceTask>
    ${after}
    ${boundary}
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
  await deployBehindGateway(model.key, Buffer.from(xml));
}

export async function startInstance(key: string, variables: Record<string, { value: unknown; type: string }> = {}, businessKey?: string): Promise<string> {
  const started = await engineRest<{ id: string }>('POST', `/process-definition/key/${key}/start`, { variables, ...(businessKey ? { businessKey } : {}) });
  return started.id;
}

export interface ExternalTaskLogEntry {
  externalTaskId: string;
  workerId: string | null;
  retries: number | null;
  errorMessage: string | null;
  timestamp: string;
  creationLog: boolean;
  failureLog: boolean;
  successLog: boolean;
  deletionLog: boolean;
}

/** The engine's own record of an instance's external tasks: creation, each failure (with retries), success, deletion. */
export function externalTaskLog(processInstanceId: string): Promise<ExternalTaskLogEntry[]> {
  return engineRest<ExternalTaskLogEntry[]>('GET', `/history/external-task-log?processInstanceId=${processInstanceId}&sortBy=timestamp&sortOrder=asc`);
}

/** The instance's open incident, once the engine has raised it. */
export function openIncident(processInstanceId: string, timeoutMs: number): Promise<{ incidentMessage: string }> {
  return eventually(
    async () => {
      const [found] = await engineRest<{ incidentMessage: string }[]>('GET', `/incident?processInstanceId=${processInstanceId}`);
      expect(found).toBeDefined();
      return found;
    },
    timeoutMs,
    200,
  );
}
