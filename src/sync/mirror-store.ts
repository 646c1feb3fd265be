import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { INCIDENT_TEXT_FIELDS, IncidentRecord } from '../mirror/incident.entity.js';
import { INSTANCE_TEXT_FIELDS, ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { TASK_TEXT_FIELDS, TaskRecord } from '../mirror/task.entity.js';
import { restored, storable } from '../mirror/unstorable-text.js';
import { VARIABLE_TEXT_FIELDS, VariableRecord } from '../mirror/variable.entity.js';

/** What the mirror holds of one instance, with the engine's values restored (never the escaped form). */
export interface MirroredRows {
  instance: ProcessInstanceRecord | null;
  tasks: TaskRecord[];
  incidents: IncidentRecord[];
}

/** What the mirror holds of one instance, its variables included. */
export interface MirroredContents extends MirroredRows {
  variables: VariableRecord[];
}

/** The rows one refresh writes for one instance. */
export interface InstanceRows {
  instance: ProcessInstanceRecord;
  tasks: TaskRecord[];
  /** The instance's whole variable set, replacing the mirror's; null leaves the mirror's as they are. */
  variables: VariableRecord[] | null;
  incidents: IncidentRecord[];
}

/** The mirror's SQL for refreshes: per-instance locks, reading what is mirrored, writing many instances at once. */
@Injectable()
export class MirrorStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Refreshes the planner's statistics of the mirror tables after a bulk load (the first import): where autovacuum
   * is off or behind, PostgreSQL would plan the task list as if the tables were still empty.
   */
  async analyze(): Promise<void> {
    await this.dataSource.query('ANALYZE process_instances, tasks, variables, incidents');
  }

  /**
   * Takes the per-instance transaction locks (the keys single refreshes take too) in key order, each key once, so two
   * transactions locking several instances never wait on each other in a circle.
   */
  async lock(manager: EntityManager, instanceIds: string[]): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(key) FROM (SELECT DISTINCT hashtext(id) AS key FROM unnest($1::text[]) AS id ORDER BY key) AS keys', [
      instanceIds,
    ]);
  }

  /** Moves an instance's event count back by `count` events that were discarded before anyone saw them. */
  async unnumberEvents(manager: EntityManager, instanceId: string, count: number): Promise<void> {
    await manager.query('UPDATE process_instances SET last_event_sequence = last_event_sequence - $2 WHERE id = $1', [instanceId, count]);
  }

  async load(manager: EntityManager, instanceIds: string[]): Promise<Map<string, MirroredRows>> {
    // One after the other: a transaction is one connection, which runs one query at a time anyway (and pg deprecates
    // queueing them).
    const instances = await manager.findBy(ProcessInstanceRecord, { id: In(instanceIds) });
    const tasks = await manager.findBy(TaskRecord, { processInstanceId: In(instanceIds) });
    const incidents = await manager.findBy(IncidentRecord, { processInstanceId: In(instanceIds) });
    const rows = new Map<string, MirroredRows>(instanceIds.map((id) => [id, { instance: null, tasks: [], incidents: [] }]));
    for (const instance of instances) rows.get(instance.id)!.instance = restored(instance);
    for (const task of tasks) rows.get(task.processInstanceId!)?.tasks.push(restored(task));
    for (const incident of incidents) rows.get(incident.processInstanceId)?.incidents.push(restored(incident));
    return rows;
  }

  /** As `load`, with the instances' variables too: all the mirror holds of them. */
  async loadWithVariables(manager: EntityManager, instanceIds: string[]): Promise<Map<string, MirroredContents>> {
    const rows = await this.load(manager, instanceIds);
    const contents = new Map<string, MirroredContents>([...rows].map(([id, row]) => [id, { ...row, variables: [] }]));
    for (const variable of await manager.findBy(VariableRecord, { processInstanceId: In(instanceIds) })) {
      contents.get(variable.processInstanceId)?.variables.push(restored(variable));
    }
    return contents;
  }

  /**
   * Writes the rows of many instances with a few multi-row statements. Variables and incidents the engine did not
   * change are left untouched (no new row version): on a busy mirror most of a refresh is unchanged. Their
   * `last_synced_at` therefore says when the row last changed, not when it was last compared.
   */
  async write(manager: EntityManager, writes: InstanceRows[]): Promise<void> {
    if (writes.length === 0) return;
    await this.upsert(
      manager,
      ProcessInstanceRecord,
      writes.map((write) => storable(write.instance, INSTANCE_TEXT_FIELDS)),
      false,
    );
    await this.upsert(
      manager,
      TaskRecord,
      writes.flatMap((write) => write.tasks.map((task) => storable(task, TASK_TEXT_FIELDS))),
      false,
    );
    const replaced = writes.filter((write) => write.variables !== null);
    if (replaced.length > 0) {
      const variables = replaced.flatMap((write) => write.variables!);
      await manager.query('DELETE FROM variables WHERE process_instance_id = ANY($1) AND NOT (id = ANY($2))', [
        replaced.map((write) => write.instance.id),
        variables.map((variable) => variable.id),
      ]);
      await this.upsert(
        manager,
        VariableRecord,
        variables.map((variable) => storable(variable, VARIABLE_TEXT_FIELDS)),
        true,
      );
    }
    await this.upsert(
      manager,
      IncidentRecord,
      writes.flatMap((write) => write.incidents.map((incident) => storable(incident, INCIDENT_TEXT_FIELDS))),
      true,
    );
  }

  /**
   * Every mirror write is an upsert, so a concurrent writer of the same row never makes this one fail. With
   * `unlessUnchanged`, a row equal to the stored one apart from its sync time is not rewritten. The rows travel as
   * one JSON parameter that PostgreSQL turns into table rows: no bind-parameter limit, and no per-value statement
   * building, which cost more than the write itself for a batch of a hundred instances.
   */
  private async upsert<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, rows: T[], unlessUnchanged: boolean): Promise<void> {
    if (rows.length === 0) return;
    const metadata = manager.getRepository(target).metadata;
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const table = quote(metadata.tableName);
    const columns = metadata.columns.map((column) => quote(column.databaseName));
    const keys = metadata.primaryColumns.map((column) => quote(column.databaseName));
    const overwritten = metadata.columns.filter((column) => !column.isPrimary).map((column) => quote(column.databaseName));
    const compared = metadata.columns
      .filter((column) => !column.isPrimary && column.propertyName !== 'lastSyncedAt')
      .map((column) => quote(column.databaseName));
    const unchangedGuard = unlessUnchanged
      ? ` WHERE (${compared.map((column) => `${table}.${column}`).join(', ')}) IS DISTINCT FROM (${compared.map((column) => `EXCLUDED.${column}`).join(', ')})`
      : '';
    const records = rows.map((row) => {
      const record: Record<string, unknown> = {};
      for (const column of metadata.columns) {
        const value: unknown = column.getEntityValue(row);
        // A column left undefined would be written NULL over what the mirror holds.
        if (value === undefined) throw new Error(`A ${metadata.name} row to write leaves ${column.propertyName} undefined`);
        record[column.databaseName] = value;
      }
      return record;
    });
    await manager.query(
      `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json)
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${overwritten.map((column) => `${column} = EXCLUDED.${column}`).join(', ')}${unchangedGuard}`,
      [JSON.stringify(records)],
    );
  }
}
