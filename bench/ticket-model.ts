import { testEnv } from '../test/support/test-env.js';
import { userToken } from '../test/support/keycloak.js';

/** The benchmarks' ticket: one user task for managers, under a key of the run's own. */
function model(key: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="bench" targetNamespace="https://camunda-gateway/bench">
  <bpmn:process id="${key}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start"><bpmn:outgoing>f</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f" sourceRef="start" targetRef="approve" />
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="managers"><bpmn:incoming>f</bpmn:incoming></bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>`);
}

/** Deploys the ticket model under `key` straight to the engine; returns the deployment id. */
export async function deployTicketModel(key: string): Promise<string> {
  const form = new FormData();
  form.append('deployment-name', key);
  form.append('data', new Blob([new Uint8Array(model(key))]), `${key}.bpmn`);
  const response = await fetch(`${testEnv.camundaUrl}/deployment/create`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${testEnv.camundaUser}:${testEnv.camundaPassword}`).toString('base64')}` },
    body: form,
  });
  return ((await response.json()) as { id: string }).id;
}

/** Five variables, as a ticket carries: a few strings, a number, a boolean, a JSON object. */
export function ticketVariables(index: number): Record<string, { value: unknown; type: string; valueInfo?: Record<string, unknown> }> {
  return {
    title: { value: `Ticket ${index}`, type: 'String' },
    requester: { value: `user${index % 50}`, type: 'String' },
    amount: { value: index * 10, type: 'Long' },
    urgent: { value: index % 7 === 0, type: 'Boolean' },
    details: { value: JSON.stringify({ category: 'hardware', lines: [index, index + 1] }), type: 'Json' },
  };
}

/** The same five variables as the gateway's API takes them: plain JSON values. */
export function plainTicketVariables(index: number): Record<string, unknown> {
  return {
    title: `Ticket ${index}`,
    requester: `user${index % 50}`,
    amount: index * 10,
    urgent: index % 7 === 0,
    details: { category: 'hardware', lines: [index, index + 1] },
  };
}

/** The benchmarks act as the realm's admin, engine-wide, like the gateway's own operators would. */
export async function asAdmin(): Promise<RequestInit> {
  return { headers: { Authorization: `Bearer ${await userToken('root')}` } };
}
