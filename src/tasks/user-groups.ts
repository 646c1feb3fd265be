import { Injectable } from '@nestjs/common';
import { TaskClient } from '../camunda/clients/task.client.js';

const TTL_MS = 60_000;

/** Group memberships from the engine's identity service, cached briefly: task lists ask for them on every call. */
@Injectable()
export class UserGroups {
  private readonly cache = new Map<string, { groups: string[]; expiresAt: number }>();

  constructor(private readonly taskClient: TaskClient) {}

  async of(userId: string): Promise<string[]> {
    const cached = this.cache.get(userId);
    if (cached && cached.expiresAt > Date.now()) return cached.groups;
    const groups = await this.taskClient.listGroupIdsOfMember(userId);
    this.cache.set(userId, { groups, expiresAt: Date.now() + TTL_MS });
    return groups;
  }
}
