import type { Server } from 'node:http';
import request from 'supertest';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
type Method = (typeof METHODS)[number];

/** supertest's request(server), with these headers (a bearer token, X-Workspace) on every request. */
export type HttpClient = Record<Method, (url: string) => request.Test>;

export function httpWith(server: Server, headers: Record<string, string>): HttpClient {
  const agent = request(server);
  return Object.fromEntries(METHODS.map((method) => [method, (url: string) => agent[method](url).set(headers)])) as HttpClient;
}

export const bearer = (token: string, workspace?: string): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  ...(workspace ? { 'X-Workspace': workspace } : {}),
});
