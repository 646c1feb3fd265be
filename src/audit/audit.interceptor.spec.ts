import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { EventEmitter } from 'node:events';
import { lastValueFrom, of } from 'rxjs';
import { ACCESS_KEY } from '../auth/access.js';
import { AccessScope } from '../auth/access-scope.js';
import { Role, type Caller } from '../identity/caller.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import { AuditInterceptor } from './audit.interceptor.js';

const mary: Caller = {
  identity: { kind: 'user', issuer: 'https://idp', localId: 'sub-mary', username: 'mary', name: null, email: null, grants: [] },
  camundaUserId: 'gwmary1',
  admin: false,
  workspaces: [
    { workspaceId: 'acme', tenantId: 'acme', roles: [Role.Approver], camundaGroupIds: ['managers'] },
    { workspaceId: 'globex', tenantId: 'globex', roles: [Role.Approver], camundaGroupIds: ['managers'] },
  ],
};

class FakeResponse extends EventEmitter {
  statusCode = 200;
}

function setUp(options: { failInsert?: boolean } = {}) {
  const recorded: AuditEntry[] = [];
  let failures = 0;
  const auditLog = { record: async (entry: AuditEntry) => {
    if (options.failInsert) throw new Error('relation "audit_log" does not exist');
    recorded.push(entry);
  } } as unknown as AuditLog;
  const metrics = { auditWriteFailures: { inc: () => (failures += 1) } } as unknown as GatewayMetrics;
  const interceptor = new AuditInterceptor(new Reflector(), auditLog, metrics);

  async function send(request: Record<string, unknown>, status: number, access: unknown = { roles: [Role.Approver] }) {
    const handler = () => undefined;
    Reflect.defineMetadata(ACCESS_KEY, access, handler);
    const response = new FakeResponse();
    const context = {
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
      getHandler: () => handler,
      getClass: () => class Controller {},
    } as unknown as ExecutionContext;
    const next: CallHandler = { handle: () => of('answer') };
    await lastValueFrom(interceptor.intercept(context, next));
    response.statusCode = status;
    response.emit('close');
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { recorded, failures: () => failures, send };
}

const complete = (overrides: Record<string, unknown> = {}) => ({
  method: 'POST',
  path: '/tasks/t-42/complete',
  route: { path: '/tasks/:id/complete' },
  params: { id: 't-42' },
  requestId: 'req-1',
  body: { variables: { secret: 'hunter2' } },
  accessScope: AccessScope.of(mary, 'acme'),
  ...overrides,
});

describe('AuditInterceptor', () => {
  it('records a command with its route pattern, parameters, request id, actor, workspace and final status, and nothing of the body', async () => {
    const { recorded, send } = setUp();
    await send(complete(), 204);
    expect(recorded).toEqual([
      {
        at: expect.any(Date),
        requestId: 'req-1',
        action: 'POST /tasks/:id/complete',
        resourceIds: { id: 't-42' },
        outcome: 204,
        actorLocalId: 'sub-mary',
        actorCamundaId: 'gwmary1',
        actorKind: 'user',
        workspace: 'acme',
      },
    ]);
    expect(JSON.stringify(recorded)).not.toContain('hunter2');
  });

  it('records refusals with their status', async () => {
    const { recorded, send } = setUp();
    await send(complete(), 404);
    await send(complete(), 403);
    expect(recorded.map((entry) => entry.outcome)).toEqual([404, 403]);
  });

  it('names no workspace when the caller spans several and sent no X-Workspace', async () => {
    const { recorded, send } = setUp();
    await send(complete({ accessScope: AccessScope.of(mary, undefined) }), 204);
    expect(recorded[0]).toMatchObject({ workspace: null, actorCamundaId: 'gwmary1' });
  });

  it('records no reads and nothing on public routes', async () => {
    const { recorded, send } = setUp();
    await send(complete({ method: 'GET' }), 200);
    await send(complete({ method: 'HEAD' }), 200);
    await send(complete(), 200, { public: true });
    expect(recorded).toEqual([]);
  });

  it('keeps route parameters storable: bounded and without U+0000', async () => {
    const { recorded, send } = setUp();
    await send(complete({ params: { id: `a\u0000${'x'.repeat(400)}` } }), 400);
    expect(recorded[0]!.resourceIds.id).toHaveLength(255);
    expect(recorded[0]!.resourceIds.id).not.toContain('\u0000');
  });

  it('counts an entry it could not record, without failing the request', async () => {
    const { failures, send } = setUp({ failInsert: true });
    await expect(send(complete(), 204)).resolves.toBeUndefined();
    expect(failures()).toBe(1);
  });
});
