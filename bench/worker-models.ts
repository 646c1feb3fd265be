import { engineRest } from '../test/support/engine-rest.js';
import { testEnv } from '../test/support/test-env.js';
import { inParallel } from './measure.js';

/** Engine-side setup of the worker benchmarks: one-task models, their instances, what the engine says is done. */

// The same parallelism bound for every side's instance starts, so no side gets a differently loaded engine.
const START_CONCURRENCY = 8;

/** start -> one external service task on `topic` -> end, under a key nothing else uses. */
export function externalTaskModel(processKey: string, topic: string): Buffer {
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="${processKey}Definitions" targetNamespace="https://camunda-gateway/bench">
  <bpmn:process id="${processKey}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start"><bpmn:outgoing>toWork</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="toWork" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" name="Work" camunda:type="external" camunda:topic="${topic}"><bpmn:incoming>toWork</bpmn:incoming><bpmn:outgoing>toEnd</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:sequenceFlow id="toEnd" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end"><bpmn:incoming>toEnd</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`);
}

/** One deployment holding every model of the run, so one cascade delete removes all of it afterwards. */
export async function deployModels(name: string, models: Record<string, Buffer>): Promise<string> {
  const form = new FormData();
  form.append('deployment-name', name);
  for (const [processKey, model] of Object.entries(models)) form.append(processKey, new Blob([new Uint8Array(model)]), `${processKey}.bpmn`);
  const response = await fetch(`${testEnv.camundaUrl}/deployment/create`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${testEnv.camundaUser}:${testEnv.camundaPassword}`).toString('base64')}` },
    body: form,
  });
  if (!response.ok) throw new Error(`deployment ${name} -> ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export type TypedVariables = Record<string, { value: unknown; type: string }>;

export async function startInstances(processKey: string, count: number, variables: TypedVariables = {}): Promise<void> {
  await inParallel(count, START_CONCURRENCY, () => engineRest('POST', `/process-definition/key/${processKey}/start`, { variables }));
}

/** External tasks of the topic the engine still holds: 0 once every one was completed. */
export async function openExternalTasks(topic: string): Promise<number> {
  return (await engineRest<{ count: number }>('GET', `/external-task/count?topicName=${encodeURIComponent(topic)}`)).count;
}

/** Successful completions the engine's history logged for the topic. */
export async function completedExternalTasks(topic: string): Promise<number> {
  return (await engineRest<{ count: number }>('GET', `/history/external-task-log/count?topicName=${encodeURIComponent(topic)}&successLog=true`)).count;
}

/** Who completed the tasks of a process key, by worker id: on a shared engine, another gateway may take gateway.publish tasks. */
export async function completionsByWorker(processKey: string): Promise<Record<string, number>> {
  const logs = await engineRest<{ workerId: string }[]>(
    'GET',
    `/history/external-task-log?processDefinitionKey=${encodeURIComponent(processKey)}&successLog=true&maxResults=100000`,
  );
  const counts: Record<string, number> = {};
  for (const { workerId } of logs) counts[workerId] = (counts[workerId] ?? 0) + 1;
  return counts;
}
