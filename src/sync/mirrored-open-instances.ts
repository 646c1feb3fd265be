import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { InstanceState } from '../mirror/process-instance.entity.js';
import { OPEN_INSTANCE_STATES } from '../mirror/open-states.js';

/** What the mirror believes about an open instance: enough to tell whether the engine moved it since. */
export interface MirroredInstance {
  id: string;
  state: InstanceState;
  definitionId: string;
}

/** Reads the mirror's open instances, all of them or those of some definitions. */
@Injectable()
export class MirroredOpenInstances {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  all(): Promise<MirroredInstance[]> {
    return this.dataSource.query(`SELECT id, state, definition_id AS "definitionId" FROM process_instances WHERE state = ANY($1)`, [OPEN_INSTANCE_STATES]);
  }

  ofDefinitions(definitions: { ids: Iterable<string>; keys: Iterable<string> }): Promise<MirroredInstance[]> {
    return this.dataSource.query(
      `SELECT id, state, definition_id AS "definitionId" FROM process_instances
       WHERE state = ANY($1) AND (definition_id = ANY($2) OR definition_key = ANY($3))`,
      [OPEN_INSTANCE_STATES, [...definitions.ids], [...definitions.keys]],
    );
  }
}
