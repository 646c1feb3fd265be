import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OPEN_INSTANCE_STATES, OPEN_TASK_STATES } from '../mirror/open-states.js';
import { allPages } from '../camunda/all-pages.js';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { TaskClient } from '../camunda/clients/task.client.js';

export interface Drift {
  /** Open instances and tasks compared, both sides together. */
  checked: number;
  /** Instances whose mirror state differed from the engine's. */
  suspects: Set<string>;
}

/**
 * Finds where the mirror and the engine disagree about what is open: instances open on one side only or in
 * another state, tasks open on one side only or held by someone else. Whatever the poll missed shows here.
 */
@Injectable()
export class Reconciler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly historyClient: HistoryClient,
    private readonly taskClient: TaskClient,
  ) {}

  async findDrift(): Promise<Drift> {
    const [mirrorInstances, engineInstances, mirrorTasks, engineTasks] = await Promise.all([
      this.dataSource.query(`SELECT id, state FROM process_instances WHERE state = ANY($1)`, [OPEN_INSTANCE_STATES]) as Promise<{ id: string; state: string }[]>,
      allPages((firstResult, maxResults) => this.historyClient.listHistoricProcessInstances({ unfinished: true, firstResult, maxResults })),
      this.dataSource.query(`SELECT id, assignee, process_instance_id AS "processInstanceId" FROM tasks WHERE state = ANY($1)`, [OPEN_TASK_STATES]) as Promise<
        { id: string; assignee: string | null; processInstanceId: string | null }[]
      >,
      allPages((firstResult, maxResults) => this.taskClient.listOpenTasks({ firstResult, maxResults })),
    ]);
    const suspects = new Set<string>();
    const engineState = new Map(engineInstances.map((instance) => [instance.id, instance.state as string]));
    for (const instance of mirrorInstances) if (engineState.get(instance.id) !== instance.state) suspects.add(instance.id);
    const mirrored = new Set(mirrorInstances.map((instance) => instance.id));
    for (const instance of engineInstances) if (!mirrored.has(instance.id)) suspects.add(instance.id);

    const engineAssignee = new Map(engineTasks.map((task) => [task.id, task.assignee]));
    for (const task of mirrorTasks) {
      if (task.processInstanceId && engineAssignee.get(task.id) !== task.assignee) suspects.add(task.processInstanceId);
    }
    const mirroredTasks = new Set(mirrorTasks.map((task) => task.id));
    for (const task of engineTasks) if (task.processInstanceId && !mirroredTasks.has(task.id)) suspects.add(task.processInstanceId);
    return { checked: mirrorInstances.length + engineInstances.length + mirrorTasks.length + engineTasks.length, suspects };
  }
}
