import { EventEmitter } from 'node:events';
import { AccessScope } from '../auth/access-scope.js';
import { Role, type Caller } from '../identity/caller.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import { AuditRecorder } from './audit-recorder.js';

const mary: Caller = {
  identity: { kind: 'user', issuer: 'https://idp', localId: 'sub-mary', username: 'mary', name: null, email: null, grants: [] },
  camundaUserId: 'gwmary1',
  admin: false,
  workspaces: [
    { workspaceId: 'acme', tenantId: 'acme', roles: [Role.Approver], camundaGroupIds: ['managers'] },
    { workspaceId: 'globex', tenantId: 'globex', roles: [Role.Approver], camundaGroupIds: ['managers'] },
  ],
};
const olga: Caller = {
  ...mary,
  camundaUserId: 'gwolga1',
  workspaces: [{ workspaceId: 'acme', tenantId: 'acme', roles: [Role.Operator], camundaGroupIds: [] }],
};

class FakeResponse extends EventEmitter {
  statusCode = 200;
  writableFinished = false;
}

function setUp(options: { failInsert?: boolean } = {}) {
  const recorded: AuditEntry[] = [];
  let failures = 0;
  const auditLog = {
    record: async (entry: AuditEntry) => {
      if (options.failInsert) throw new Error('relation "audit_log" does not exist');
      recorded.push(entry);
    },
  } as unknown as AuditLog;
  const metrics = { auditWriteFailures: { inc: () => (failures += 1) } } as unknown as GatewayMetrics;
  const recorder = new AuditRecorder(auditLog, metrics);

  /** The request passes the middleware, then the guard and handler (`handle`) set what they set, then it closes. */
  async function send(request: Record<string, unknown>, status: number, handle: (request: Record<string, unknown>) => void = () => undefined, answered = true) {
    const response = new FakeResponse();
    let passedOn = false;
    recorder.watch(request as never, response as never, () => (passedOn = true));
    expect(passedOn).toBe(true);
    handle(request);
    response.statusCode = status;
    response.writableFinished = answered;
    response.emit('close');
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { recorded, failures: () => failures, send };
}

const complete = (overrides: Record<string, unknown> = {}) => ({
  method: 'POST',
  path: '/tasks/t-42/complete',
  params: {},
  requestId: 'req-1',
  body: { variables: { secret: 'hunter2' } },
  ...overrides,
});

/** What express and the AuthGuard put on a request that passed them. */
const authenticated = (caller: Caller, workspace?: string) => (request: Record<string, unknown>) =>
  Object.assign(request, { route: { path: '/tasks/:id/complete' }, params: { id: 't-42' }, caller, accessScope: AccessScope.of(caller, workspace) });

describe('AuditRecorder', () => {
  it('records a command with its route pattern, parameters, request id, actor, workspace and final status, and nothing of the body', async () => {
    const { recorded, send } = setUp();
    await send(complete(), 204, authenticated(mary, 'acme'));
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

  it('records refusals with their status, those of the guard after authentication too', async () => {
    const { recorded, send } = setUp();
    await send(complete(), 404, authenticated(mary, 'acme'));
    // Refused by the guard (a role the route needs): a caller, no scope.
    await send(complete(), 403, (request) => Object.assign(request, { route: { path: '/tasks/:id/complete' }, params: { id: 't-42' }, caller: olga }));
    expect(recorded.map((entry) => [entry.outcome, entry.actorCamundaId, entry.workspace])).toEqual([
      [404, 'gwmary1', 'acme'],
      [403, 'gwolga1', 'acme'],
    ]);
  });

  it('records a command whose caller went away before the answer as 499: it may still have run', async () => {
    const { recorded, send } = setUp();
    await send(complete(), 200, authenticated(mary), false);
    expect(recorded[0]).toMatchObject({ outcome: 499, actorCamundaId: 'gwmary1' });
  });

  it('records nothing without an authenticated caller: public routes, 401s', async () => {
    const { recorded, send } = setUp();
    await send(complete(), 401);
    await send(complete({ path: '/health' }), 200);
    expect(recorded).toEqual([]);
  });

  it('records no reads', async () => {
    const { recorded, send } = setUp();
    await send(complete({ method: 'GET' }), 200, authenticated(mary));
    await send(complete({ method: 'HEAD' }), 200, authenticated(mary));
    expect(recorded).toEqual([]);
  });

  it('names no workspace when the caller spans several and sent no X-Workspace', async () => {
    const { recorded, send } = setUp();
    await send(complete(), 204, authenticated(mary));
    expect(recorded[0]).toMatchObject({ workspace: null, actorCamundaId: 'gwmary1' });
  });

  it('keeps route parameters storable: bounded and without U+0000', async () => {
    const { recorded, send } = setUp();
    await send(complete(), 400, (request) => Object.assign(authenticated(mary)(request), { params: { id: `a\u0000${'x'.repeat(400)}` } }));
    expect(recorded[0].resourceIds.id).toHaveLength(255);
    expect(recorded[0].resourceIds.id).not.toContain('\u0000');
  });

  it('counts an entry it could not record, without failing the request', async () => {
    const { failures, send } = setUp({ failInsert: true });
    await expect(send(complete(), 204, authenticated(mary))).resolves.toBeUndefined();
    expect(failures()).toBe(1);
  });
});
