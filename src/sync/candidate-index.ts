import { Injectable, Logger } from '@nestjs/common';
import type { CandidateLinkChange, TaskCandidates } from '../camunda/camunda.models.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';

// Log entries read per page, and the most an index takes: at ~200 bytes an entry, a cap on its memory.
const PAGE = 1_000;
const MAX_ENTRIES = 500_000;

/** Candidates the gateway already knows for some tasks; undefined for a task it must ask the engine about. */
export interface KnownCandidates {
  /** When the log was read up to: a refresh made later knows better. */
  readonly asOf: Date;
  candidatesOf(taskId: string): TaskCandidates | undefined;
}

/**
 * The engine answers candidates one task at a time; an import of 100,000 tasks would make as many requests. Its
 * identity-link log (history level full) holds every candidate change, so reading it from the oldest open task's
 * creation gives the open tasks' candidates in a few pages. Only what the log tells beyond doubt is kept: tasks
 * whose candidates were only ever added. A task with a removal (whose order against an add in the same millisecond
 * the log cannot tell) or none in the log (lower history levels, no candidates) is asked about; and a read that
 * does not add up to the log's count (the engine pages by time alone, so ties may repeat or skip) keeps nothing.
 */
@Injectable()
export class CandidateIndexBuilder {
  private readonly logger = new Logger(CandidateIndexBuilder.name);

  constructor(
    private readonly history: HistoryClient,
    private readonly tasks: TaskClient,
  ) {}

  /** Null when there is no open task, the log is too long to hold, or its pages did not add up. */
  async build(asOf: Date): Promise<KnownCandidates | null> {
    const oldest = await this.tasks.oldestOpenTaskCreatedAt();
    if (!oldest) return null;
    // The log's times and the task's creation are the same engine clock; a second earlier is safe at ms rounding.
    const range = { after: new Date(oldest.getTime() - 1_000), before: asOf };
    const expected = await this.history.countCandidateLinkChanges(range);
    if (expected > MAX_ENTRIES) {
      this.logger.warn(
        `Candidates are read task by task: the identity-link log since the oldest open task holds ${expected} entries, more than ${MAX_ENTRIES}`,
      );
      return null;
    }
    const entries = new Map<string, CandidateLinkChange>();
    for (let first = 0; ; first += PAGE) {
      const page = await this.history.listCandidateLinkChanges({ ...range, firstResult: first, maxResults: PAGE });
      for (const entry of page) entries.set(entry.id, entry);
      if (page.length < PAGE) break;
    }
    if (entries.size !== expected) {
      this.logger.warn(`Candidates are read task by task: the identity-link log read ${entries.size} distinct entries where it counts ${expected}`);
      return null;
    }
    const byTask = replayAdds([...entries.values()]);
    return { asOf, candidatesOf: (taskId) => byTask.get(taskId) ?? undefined };
  }
}

/** Each task's candidates from its adds; null for a task with any removal (left to the engine). */
function replayAdds(entries: CandidateLinkChange[]): Map<string, TaskCandidates | null> {
  const byTask = new Map<string, TaskCandidates | null>();
  for (const entry of [...entries].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (!entry.taskId) continue;
    if (entry.operation !== 'add') {
      byTask.set(entry.taskId, null);
      continue;
    }
    let links = byTask.get(entry.taskId);
    if (links === null) continue;
    if (!links) byTask.set(entry.taskId, (links = { users: [], groups: [] }));
    const [list, id] = entry.groupId ? [links.groups, entry.groupId] : [links.users, entry.userId];
    if (id && !list.includes(id)) list.push(id);
  }
  return byTask;
}
