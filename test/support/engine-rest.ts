import { testEnv } from './test-env.js';

const basicAuth = () => `Basic ${Buffer.from(`${testEnv.camundaUser}:${testEnv.camundaPassword}`).toString('base64')}`;

/** Deploys one model straight to the engine (as a modeler would), optionally into a tenant; the deployment id. */
export async function deployBehindGateway(name: string, model: Buffer, tenantId?: string): Promise<string> {
  const form = new FormData();
  form.append('deployment-name', name);
  if (tenantId) form.append('tenant-id', tenantId);
  form.append('data', new Blob([new Uint8Array(model)]), `${name}.bpmn`);
  const response = await fetch(`${testEnv.camundaUrl}/deployment/create`, { method: 'POST', headers: { Authorization: basicAuth() }, body: form });
  if (!response.ok) throw new Error(`deployment ${name} -> ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Straight engine-rest calls, as Cockpit or Tasklist would make them: out of band for the gateway. */
export async function engineRest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${testEnv.camundaUrl}${path}`, {
    method,
    headers: {
      Authorization: basicAuth(),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

export interface EngineProduct {
  product: 'Camunda' | 'Operaton';
  version: string;
}

/** Which engine the suite runs on, as the engine says it (its telemetry names the product; /version alone does not). */
export async function engineProduct(): Promise<EngineProduct> {
  const { product } = await engineRest<{ product: { name: string; version: string } }>('GET', '/telemetry/data');
  if (product.name.startsWith('Operaton')) return { product: 'Operaton', version: product.version };
  if (product.name.startsWith('Camunda')) return { product: 'Camunda', version: product.version };
  throw new Error(`unknown engine product ${product.name}`);
}
