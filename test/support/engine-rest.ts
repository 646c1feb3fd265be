import { testEnv } from './test-env.js';

/** Straight engine-rest calls, as Cockpit or Tasklist would make them: out of band for the gateway. */
export async function engineRest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${testEnv.camundaUrl}${path}`, {
    method,
    headers: {
      Authorization: `Basic ${Buffer.from(`${testEnv.camundaUser}:${testEnv.camundaPassword}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}
