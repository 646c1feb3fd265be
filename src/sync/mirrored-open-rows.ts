import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { OpenTaskState } from '../camunda/camunda.models.js';
import { OPEN_INSTANCE_STATES, OPEN_TASK_STATES } from '../mirror/open-states.js';
import type { MirroredInstance } from './mirrored-open-instances.js';

/** A position in a (time, id) order, as the engine's list queries and the mirror's keyset indexes sort. */
export interface RowKey {
  at: Date;
  id: string;
}

/** The mirror answers in the terms the engine's open-task list uses, so the two compare field by field. */
export type MirroredOpenTask = OpenTaskState;

/**
 * The mirror's open instances and tasks in ranges of (start or creation time, id), a chunk at a time: the reconcile
 * compares them with the engine's pages of the same range without holding either side whole.
 */
@Injectable()
export class MirroredOpenRows {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Open instances after `after` (exclusive) up to `upTo` (inclusive; null: to the end), at most `limit`. */
  instancesBetween(after: RowKey | null, upTo: RowKey | null, limit: number): Promise<(MirroredInstance & { startedAt: Date })[]> {
    return this.dataSource.query(
      `SELECT id, state, definition_id AS "definitionId", started_at AS "startedAt" FROM process_instances
       WHERE state = ANY($1) ${rangeSql('started_at')}
       ORDER BY started_at, id LIMIT $6`,
      [OPEN_INSTANCE_STATES, ...rangeParams(after, upTo), limit],
    );
  }

  tasksBetween(after: RowKey | null, upTo: RowKey | null, limit: number): Promise<MirroredOpenTask[]> {
    return this.dataSource.query(
      `SELECT id, process_instance_id AS "processInstanceId", name, assignee, priority, due_at AS "dueAt", created_at AS "createdAt", suspended
       FROM tasks WHERE state = ANY($1) ${rangeSql('created_at')}
       ORDER BY created_at, id LIMIT $6`,
      [OPEN_TASK_STATES, ...rangeParams(after, upTo), limit],
    );
  }
}

function rangeSql(time: string): string {
  return `AND ($2::timestamptz IS NULL OR (${time}, id) > ($2, $3::varchar)) AND ($4::timestamptz IS NULL OR (${time}, id) <= ($4, $5::varchar))`;
}

function rangeParams(after: RowKey | null, upTo: RowKey | null): unknown[] {
  return [after?.at ?? null, after?.id ?? null, upTo?.at ?? null, upTo?.id ?? null];
}
