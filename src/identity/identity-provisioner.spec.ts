import { jest } from '@jest/globals';
import type { GatewayConfig } from '../config/gateway-config.js';
import { Role, type Caller, type TokenIdentity } from './caller.js';
import { IdentityProvisioner } from './identity-provisioner.js';
import { CamundaError, CamundaErrorCode } from '../camunda/camunda.errors.js';
import type { RoleGroups } from './role-groups.js';
import type { IdentityStore } from './identity-store.js';
import type { ProvisionedCaller, UserProvisioning } from './user-provisioning.js';
import type { WorkspaceProvisioner } from './workspace-provisioner.js';

const REFRESH_MS = 300_000;
const identity: TokenIdentity = {
  kind: 'user',
  issuer: 'https://idp.example.org',
  localId: 'u-1',
  username: 'mary',
  name: 'Mary Smith',
  email: 'mary@example.org',
  grants: [{ workspace: 'acme', role: Role.Approver }],
};

function setup() {
  let now = 1_000_000;
  jest.spyOn(Date, 'now').mockImplementation(() => now);
  let release: () => void = () => undefined;
  let gate: Promise<void> = Promise.resolve();
  const provision = jest.fn(async (seen: TokenIdentity): Promise<ProvisionedCaller> => {
    await gate;
    return { userId: 'row-1', caller: { identity: seen, camundaUserId: 'gwmary0123', admin: false, workspaces: [] } satisfies Caller };
  });
  const touchLastSeen = jest.fn(async (_id: string) => undefined);
  const findProvisionedUser = jest.fn(async (_identity: TokenIdentity): Promise<{ camundaUserId: string } | null> => null);
  const allWorkspaces = jest.fn(async () => [{ id: 'acme', tenantId: 'acme' }]);
  const workspaces = { generation: 0 };
  const provisioner = new IdentityProvisioner(
    { provision } as unknown as UserProvisioning,
    { touchLastSeen, findProvisionedUser, allWorkspaces } as unknown as IdentityStore,
    workspaces as WorkspaceProvisioner,
    { groupsOf: (roles: Iterable<Role>) => ([...roles].includes(Role.Approver) ? ['managers'] : []) } as unknown as RoleGroups,
    { AUTH_PROVISION_REFRESH_MS: REFRESH_MS, AUTH_CALLER_CACHE_SIZE: 100 } as GatewayConfig,
  );
  return {
    provisioner,
    provision,
    touchLastSeen,
    findProvisionedUser,
    allWorkspaces,
    workspaceCreated: () => (workspaces.generation += 1),
    advance: (ms: number) => (now += ms),
    hold: () => (gate = new Promise<void>((resolve) => (release = resolve))),
    release: () => release(),
  };
}

describe('IdentityProvisioner', () => {
  afterEach(() => jest.restoreAllMocks());

  it('provisions a new identity once and answers later requests from memory', async () => {
    const { provisioner, provision, touchLastSeen } = setup();
    const first = await provisioner.callerFor(identity);
    const second = await provisioner.callerFor({ ...identity, grants: [...identity.grants] });
    expect(first.camundaUserId).toBe('gwmary0123');
    expect(second).toBe(first);
    expect(provision).toHaveBeenCalledTimes(1);
    expect(touchLastSeen).not.toHaveBeenCalled();
  });

  it('provisions concurrent first requests of one identity exactly once', async () => {
    const { provisioner, provision, hold, release } = setup();
    void hold();
    const callers = Array.from({ length: 20 }, () => provisioner.callerFor(identity));
    release();
    const answered = await Promise.all(callers);
    expect(provision).toHaveBeenCalledTimes(1);
    expect(new Set(answered.map((caller) => caller.camundaUserId))).toEqual(new Set(['gwmary0123']));
  });

  it.each([
    ['name', { name: 'Mary Jones' }],
    ['e-mail', { email: 'mary.jones@example.org' }],
    ['grants', { grants: [] }],
  ])('provisions again when the %s changed', async (_what, change) => {
    const { provisioner, provision } = setup();
    await provisioner.callerFor(identity);
    const changed = await provisioner.callerFor({ ...identity, ...change });
    expect(provision).toHaveBeenCalledTimes(2);
    expect(changed.identity).toMatchObject(change);
  });

  it('does not provision again when only the order of the grants changed', async () => {
    const { provisioner, provision } = setup();
    const grants = [
      { workspace: 'acme', role: Role.Approver },
      { workspace: 'globex', role: Role.Requester },
    ];
    await provisioner.callerFor({ ...identity, grants });
    await provisioner.callerFor({ ...identity, grants: [...grants].reverse() });
    expect(provision).toHaveBeenCalledTimes(1);
  });

  it('provisions again once the entry is older than AUTH_PROVISION_REFRESH_MS', async () => {
    const { provisioner, provision, advance } = setup();
    await provisioner.callerFor(identity);
    advance(REFRESH_MS - 1);
    await provisioner.callerFor(identity);
    expect(provision).toHaveBeenCalledTimes(1);
    advance(1);
    await provisioner.callerFor(identity);
    expect(provision).toHaveBeenCalledTimes(2);
  });

  it('provisions a caller granted every workspace again once this process created a workspace, and no other caller', async () => {
    const { provisioner, provision, workspaceCreated } = setup();
    const root = { ...identity, localId: 'root', grants: [{ workspace: '*', role: Role.Admin }] };
    await provisioner.callerFor(root);
    await provisioner.callerFor(identity);
    workspaceCreated();
    await provisioner.callerFor(root);
    await provisioner.callerFor(identity);
    await provisioner.callerFor(root);
    expect(provision.mock.calls.map(([seen]) => seen.localId)).toEqual(['root', identity.localId, 'root']);
  });

  it('writes last_seen_at at most once a minute, however many requests come', async () => {
    const { provisioner, touchLastSeen, advance } = setup();
    await provisioner.callerFor(identity);
    for (let request = 0; request < 50; request++) {
      advance(2_000);
      await provisioner.callerFor(identity);
    }
    // 100 s of requests after provisioning (which wrote it): one write at 60 s, the next not before 120 s.
    expect(touchLastSeen).toHaveBeenCalledTimes(1);
    expect(touchLastSeen).toHaveBeenCalledWith('row-1');
  });

  it('lets the next request try again after a failed provisioning', async () => {
    const { provisioner, provision } = setup();
    provision.mockRejectedValueOnce(new Error('engine down'));
    await expect(provisioner.callerFor(identity)).rejects.toThrow('engine down');
    await expect(provisioner.callerFor(identity)).resolves.toMatchObject({ camundaUserId: 'gwmary0123' });
    expect(provision).toHaveBeenCalledTimes(2);
  });

  describe('while the engine or the database is out', () => {
    const outage = new CamundaError(CamundaErrorCode.Unavailable, 'engine unreachable');
    const approverInAcme = { ...identity, grants: [{ workspace: 'acme', role: Role.Approver }] };

    it('lets a caller provisioned before in with what its token grants now, and pauses provisioning', async () => {
      const { provisioner, provision, findProvisionedUser, advance } = setup();
      findProvisionedUser.mockResolvedValue({ camundaUserId: 'gwmary0123' });
      provision.mockRejectedValue(outage);
      const caller = await provisioner.callerFor(approverInAcme);
      expect(caller).toMatchObject({
        camundaUserId: 'gwmary0123',
        admin: false,
        workspaces: [{ workspaceId: 'acme', tenantId: 'acme', roles: [Role.Approver], camundaGroupIds: ['managers'] }],
      });
      await provisioner.callerFor(approverInAcme);
      expect(provision).toHaveBeenCalledTimes(1);
      advance(10_001);
      provision.mockResolvedValue({ userId: 'row-1', caller: { identity: approverInAcme, camundaUserId: 'gwmary0123', admin: false, workspaces: [] } });
      await provisioner.callerFor(approverInAcme);
      expect(provision).toHaveBeenCalledTimes(2);
    });

    it('uses what this process knew when the database is out too', async () => {
      const { provisioner, provision, findProvisionedUser, allWorkspaces, advance } = setup();
      await provisioner.callerFor(identity);
      advance(REFRESH_MS + 1);
      provision.mockRejectedValue(outage);
      findProvisionedUser.mockRejectedValue(new Error('Connection terminated'));
      allWorkspaces.mockRejectedValue(new Error('Connection terminated'));
      await expect(provisioner.callerFor(identity)).resolves.toMatchObject({ camundaUserId: 'gwmary0123' });
    });

    it('refuses a caller never provisioned with the outage', async () => {
      const { provisioner, provision } = setup();
      provision.mockRejectedValue(outage);
      await expect(provisioner.callerFor(identity)).rejects.toBe(outage);
    });
  });
});
