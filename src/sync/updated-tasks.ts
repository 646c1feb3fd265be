import { Injectable, Logger } from '@nestjs/common';
import { allPages } from '../camunda/all-pages.js';
import type { OpenTask } from '../camunda/camunda.models.js';
import { TaskClient } from '../camunda/clients/task.client.js';

// No task can have been updated after this: an engine that answers the filter honestly lists none.
const FAR_FUTURE = new Date('9000-01-01T00:00:00.000Z');

/**
 * Open tasks updated since a time (GET /task?updatedAfter): changes that leave no user-operation entry, such as a
 * task listener or delegate reassigning a task inside the engine. Engines that predate the filter ignore it and
 * list every open task; the first time the query answers anything, one probe whose honest answer is empty tells
 * which kind of engine this is, and on an old one the query is never asked again.
 */
@Injectable()
export class UpdatedTasks {
  private readonly logger = new Logger(UpdatedTasks.name);
  /** Unknown until the query first answers tasks: an empty answer proves nothing, and costs nothing either way. */
  private filterHonoured: boolean | undefined;

  constructor(private readonly taskClient: TaskClient) {}

  async since(from: Date): Promise<OpenTask[]> {
    if (this.filterHonoured === false) return [];
    const tasks = await allPages((firstResult, maxResults) => this.taskClient.listOpenTasks({ updatedAfter: from, firstResult, maxResults }));
    if (tasks.length === 0 || this.filterHonoured) return tasks;
    const probe = await this.taskClient.listOpenTasks({ updatedAfter: FAR_FUTURE, firstResult: 0, maxResults: 1 });
    this.filterHonoured = probe.length === 0;
    if (this.filterHonoured) return tasks;
    this.logger.warn(
      'The engine ignores GET /task?updatedAfter (it predates the filter): the poll no longer asks it. Task changes made inside ' +
        'the engine without a user-operation entry (a listener or delegate setting assignee, due date or priority) now reach the ' +
        'mirror only when something else refreshes the instance; the reconcile still catches a changed assignee.',
    );
    return [];
  }
}
