import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { IdentityClient } from '../camunda/clients/identity.client.js';
import { GatewayConfig } from '../config/gateway-config.js';

/**
 * Group memberships from the engine's identity service, cached briefly: task lists ask for them on every call.
 * Bounded in size and age, so any number of distinct users cannot grow it without limit.
 */
@Injectable()
export class UserGroups {
  private readonly cache: LRUCache<string, string[]>;

  constructor(
    private readonly identityClient: IdentityClient,
    config: GatewayConfig,
  ) {
    // Ages on Date.now rather than the monotonic clock: a minute-long TTL needs no better, and tests can move Date.
    this.cache = new LRUCache({ max: config.USER_GROUPS_CACHE_SIZE, ttl: config.USER_GROUPS_CACHE_TTL_MS, perf: { now: () => Date.now() } });
  }

  async of(userId: string): Promise<string[]> {
    const cached = this.cache.get(userId);
    if (cached) return cached;
    const groups = await this.identityClient.listGroupIdsOfUser(userId);
    this.cache.set(userId, groups);
    return groups;
  }
}
