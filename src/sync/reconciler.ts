import { Injectable } from '@nestjs/common';
import type { EngineProcessInstance, OpenTaskState } from '../camunda/camunda.models.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';
import { MirrorContentCheck } from './content-check.js';
import { KEYSET_START, nextKeysetPage, type Keyset } from './keyset-pages.js';
import { MirroredOpenRows, type MirroredOpenTask, type RowKey } from './mirrored-open-rows.js';
import type { MirroredInstance } from './mirrored-open-instances.js';
import { outOfStep } from './out-of-step.js';

// Engine rows per page, and mirror rows per chunk of the same range.
const PAGE = 1_000;
const MIRROR_CHUNK = 2_000;

export interface Drift {
  /** Open instances or tasks compared in this page, both sides together. */
  checked: number;
  /** Instances whose mirror differs from the engine, in a way a refresh mends. */
  suspects: Set<string>;
}

/**
 * Finds where the mirror and the engine disagree: instances open on one side only, in another state or on another
 * definition (a migration the poll missed); the contents of instances open on both (tasks with candidates,
 * variables, incidents; see MirrorContentCheck); tasks open on one side only, or with another assignee, name,
 * priority, due date or suspension. It walks both sides in the same (time, id) order a page at a time, so memory
 * stays bounded and the caller can refresh each page's suspects before the next.
 */
@Injectable()
export class Reconciler {
  constructor(
    private readonly historyClient: HistoryClient,
    private readonly taskClient: TaskClient,
    private readonly mirror: MirroredOpenRows,
    private readonly contents: MirrorContentCheck,
  ) {}

  async *drift(): AsyncGenerator<Drift> {
    yield* this.instanceDrift();
    yield* this.pages<OpenTaskState, MirroredOpenTask>(
      (from, skip) => this.taskClient.listOpenTasksByCreation(from, { firstResult: skip, maxResults: PAGE }),
      (task) => ({ at: task.createdAt, id: task.id }),
      (after, upTo) => this.mirror.tasksBetween(after, upTo, MIRROR_CHUNK),
      (row) => ({ at: row.createdAt, id: row.id }),
      taskDrift,
    );
  }

  /** A generator of its own, so the content comparison (and its candidate index) is released once it is done. */
  private async *instanceDrift(): AsyncGenerator<Drift> {
    const differingContents = await this.contents.begin();
    yield* this.pages<EngineProcessInstance, MirroredInstance & { startedAt: Date }>(
      (from, skip) =>
        this.historyClient.listHistoricProcessInstancesByStart({ unfinished: true, startedAfter: from ?? undefined }, { firstResult: skip, maxResults: PAGE }),
      (instance) => ({ at: instance.startedAt, id: instance.id }),
      (after, upTo) => this.mirror.instancesBetween(after, upTo, MIRROR_CHUNK),
      (row) => ({ at: row.startedAt, id: row.id }),
      async (engine, mirrored) => {
        const suspects = outOfStep(mirrored, engine);
        for (const id of await differingContents(engine.filter((instance) => !suspects.has(instance.id)))) suspects.add(id);
        return suspects;
      },
    );
  }

  /**
   * Each engine page covers the range from the previous page's last key (exclusive) to its own (inclusive; the
   * last page to the end); the mirror's rows of that range are read in chunks and compared with it.
   */
  private async *pages<E, M>(
    fetch: (from: Date | null, skip: number) => Promise<E[]>,
    engineKey: (row: E) => RowKey,
    mirrorChunk: (after: RowKey | null, upTo: RowKey | null) => Promise<M[]>,
    mirrorKey: (row: M) => RowKey,
    compare: (engine: E[], mirrored: M[]) => Set<string> | Promise<Set<string>>,
  ): AsyncGenerator<Drift> {
    let keyset: Keyset = KEYSET_START;
    let rangeStart: RowKey | null = null;
    for (;;) {
      const page = await nextKeysetPage(keyset, PAGE, fetch, engineKey);
      keyset = page.keyset;
      if (page.rows.length === 0 && !page.last) continue;
      const upTo = page.last ? null : engineKey(page.rows[page.rows.length - 1]);
      const suspects = new Set<string>();
      let checked = page.rows.length;
      let rest = page.rows;
      let after = rangeStart;
      for (;;) {
        const chunk = await mirrorChunk(after, upTo);
        checked += chunk.length;
        // Engine rows beyond this chunk's last key are compared with the next chunk.
        const lastKey = chunk.length === MIRROR_CHUNK ? mirrorKey(chunk[chunk.length - 1]) : upTo;
        const [covered, later] = lastKey ? partition(rest, (row) => !isAfter(engineKey(row), lastKey)) : [rest, []];
        for (const id of await compare(covered, chunk)) suspects.add(id);
        rest = later;
        if (chunk.length < MIRROR_CHUNK) break;
        after = mirrorKey(chunk[chunk.length - 1]);
      }
      for (const id of await compare(rest, [])) suspects.add(id);
      // What the walk read has aged by now (a poll may have mended it meanwhile): only what still differs is drift.
      yield { checked, suspects: suspects.size > 0 ? await this.contents.confirmed(suspects) : suspects };
      if (page.last) return;
      rangeStart = upTo;
    }
  }
}

function taskDrift(engine: OpenTaskState[], mirrored: MirroredOpenTask[]): Set<string> {
  const suspects = new Set<string>();
  const engineTasks = new Map(engine.map((task) => [task.id, task]));
  for (const task of mirrored) {
    const current = engineTasks.get(task.id);
    engineTasks.delete(task.id);
    if (!task.processInstanceId) continue;
    if (!current || differs(current, task)) suspects.add(task.processInstanceId);
  }
  for (const task of engineTasks.values()) if (task.processInstanceId) suspects.add(task.processInstanceId);
  return suspects;
}

function differs(engine: OpenTaskState, mirrored: MirroredOpenTask): boolean {
  return (
    engine.assignee !== mirrored.assignee ||
    engine.name !== mirrored.name ||
    engine.priority !== mirrored.priority ||
    engine.suspended !== mirrored.suspended ||
    (engine.dueAt?.getTime() ?? null) !== (mirrored.dueAt?.getTime() ?? null)
  );
}

function isAfter(key: RowKey, other: RowKey): boolean {
  return key.at > other.at || (key.at.getTime() === other.at.getTime() && key.id > other.id);
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
