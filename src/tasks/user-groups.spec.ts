import { jest } from '@jest/globals';
import type { IdentityClient } from '../camunda/clients/identity.client.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { UserGroups } from './user-groups.js';

function userGroupsWith(settings: Partial<GatewayConfig>) {
  const lookups: string[] = [];
  const client = { listGroupIdsOfUser: async (userId: string) => (lookups.push(userId), [`${userId}-group`]) } as unknown as IdentityClient;
  return { userGroups: new UserGroups(client, Object.assign(new GatewayConfig(), settings)), lookups };
}

describe('UserGroups cache', () => {
  afterEach(() => jest.useRealTimers());

  it('answers repeated lookups from the cache', async () => {
    const { userGroups, lookups } = userGroupsWith({});
    await expect(userGroups.of('john')).resolves.toEqual(['john-group']);
    await expect(userGroups.of('john')).resolves.toEqual(['john-group']);
    expect(lookups).toEqual(['john']);
  });

  it('evicts the least recently used user once full', async () => {
    const { userGroups, lookups } = userGroupsWith({ USER_GROUPS_CACHE_SIZE: 2 });
    await userGroups.of('a');
    await userGroups.of('b');
    await userGroups.of('a');
    await userGroups.of('c');
    await userGroups.of('a');
    await userGroups.of('b');
    expect(lookups).toEqual(['a', 'b', 'c', 'b']);
  });

  it('asks the engine again once an entry is older than the TTL', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-12-01T10:00:00Z') });
    const { userGroups, lookups } = userGroupsWith({ USER_GROUPS_CACHE_TTL_MS: 60_000 });
    await userGroups.of('john');
    jest.advanceTimersByTime(59_000);
    await userGroups.of('john');
    jest.advanceTimersByTime(2_000);
    await userGroups.of('john');
    expect(lookups).toEqual(['john', 'john']);
  });
});
