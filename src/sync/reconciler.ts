import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OPEN_TASK_STATES } from '../mirror/open-states.js';
import { allPages } from '../camunda/all-pages.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';
import { outOfStep } from './out-of-step.js';
import { MirroredOpenInstances } from './mirrored-open-instances.js';

export interface Drift {
  /** Open instances and tasks compared, both sides together. */
  checked: number;
  /** Instances whose mirror state differed from the engine's. */
  suspects: Set<string>;
}

/**
 * Finds where the mirror and the engine disagree about what is open: instances open on one side only, in another
 * state or on another definition (a migration the poll missed), tasks open on one side only or held by someone else.
 * Whatever the poll missed shows here.
 */
@Injectable()
export class Reconciler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly historyClient: HistoryClient,
    private readonly taskClient: TaskClient,
    private readonly mirroredInstances: MirroredOpenInstances,
  ) {}

  async findDrift(): Promise<Drift> {
    const [mirrorInstances, engineInstances, mirrorTasks, engineTasks] = await Promise.all([
      this.mirroredInstances.all(),
      allPages((firstResult, maxResults) => this.historyClient.listHistoricProcessInstances({ unfinished: true, firstResult, maxResults })),
      this.dataSource.query(`SELECT id, assignee, process_instance_id AS "processInstanceId" FROM tasks WHERE state = ANY($1)`, [OPEN_TASK_STATES]) as Promise<
        { id: string; assignee: string | null; processInstanceId: string | null }[]
      >,
      allPages((firstResult, maxResults) => this.taskClient.listOpenTasks({ firstResult, maxResults })),
    ]);
    const suspects = outOfStep(mirrorInstances, engineInstances);

    const engineAssignee = new Map(engineTasks.map((task) => [task.id, task.assignee]));
    for (const task of mirrorTasks) {
      if (task.processInstanceId && engineAssignee.get(task.id) !== task.assignee) suspects.add(task.processInstanceId);
    }
    const mirroredTasks = new Set(mirrorTasks.map((task) => task.id));
    for (const task of engineTasks) if (task.processInstanceId && !mirroredTasks.has(task.id)) suspects.add(task.processInstanceId);
    return { checked: mirrorInstances.length + engineInstances.length + mirrorTasks.length + engineTasks.length, suspects };
  }
}
