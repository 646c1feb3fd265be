import { Injectable, Logger } from '@nestjs/common';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';
import type { TaskCandidates } from '../camunda/camunda.models.js';

// Log entries read per page, and the most an index takes: at ~200 bytes an entry, a cap on its memory.
const PAGE = 1_000;
const MAX_ENTRIES = 500_000;

/** Candidates the gateway already knows for some tasks; undefined for a task it must ask the engine about. */
export interface KnownCandidates {
  readonly asOf: Date;
  candidatesOf(taskId: string): TaskCandidates | undefined;
}

/**
 * The engine answers candidates one task at a time; an import of 100,000 tasks would make as many requests. Its
 * identity-link log (history level full) holds every candidate change, so replaying it from the oldest open task's
 * creation gives every open task's candidates in a few pages. A task the log says nothing of is asked about (no
 * log at lower history levels, or no candidates at all), so the index is never wrong, at worst slower.
 */
@Injectable()
export class CandidateIndexBuilder {
  private readonly logger = new Logger(CandidateIndexBuilder.name);

  constructor(
    private readonly history: HistoryClient,
    private readonly tasks: TaskClient,
  ) {}

  /** Null when there is no open task or the log since the oldest one is too long to hold. */
  async build(asOf: Date): Promise<KnownCandidates | null> {
    const oldest = await this.tasks.oldestOpenTaskCreatedAt();
    if (!oldest) return null;
    // The log's times and the task's creation are the same engine clock; a second earlier is safe at ms rounding.
    const after = new Date(oldest.getTime() - 1_000);
    const entries = await this.history.countCandidateLinkChanges(after);
    if (entries > MAX_ENTRIES) {
      this.logger.warn(`Candidates are read task by task: the identity-link log since the oldest open task holds ${entries} entries, more than ${MAX_ENTRIES}`);
      return null;
    }
    const byTask = new Map<string, { users: Set<string>; groups: Set<string> }>();
    for (let first = 0; ; first += PAGE) {
      const page = await this.history.listCandidateLinkChanges({ after, firstResult: first, maxResults: PAGE });
      for (const change of page) {
        let links = byTask.get(change.taskId);
        if (!links) byTask.set(change.taskId, (links = { users: new Set(), groups: new Set() }));
        const set = change.groupId ? links.groups : links.users;
        const id = change.groupId ?? change.userId;
        if (!id) continue;
        if (change.operation === 'add') set.add(id);
        else set.delete(id);
      }
      if (page.length < PAGE) break;
    }
    return {
      asOf,
      candidatesOf: (taskId) => {
        const links = byTask.get(taskId);
        return links && { users: [...links.users], groups: [...links.groups] };
      },
    };
  }
}
