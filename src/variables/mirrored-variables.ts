import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { TypedVariable } from '../camunda/camunda.models.js';
import { restored } from '../mirror/unstorable-text.js';
import { VariableRecord } from '../mirror/variable.entity.js';

/** A variable on an instance itself (scope `process`), as the mirror holds it, with the engine's values restored. */
export interface MirroredVariable {
  /** The engine's variable-instance id; its history knows the variable by it after the instance has ended. */
  id: string;
  name: string;
  type: string;
  /**
   * The answer the engine's runtime would give, or null where the mirror has no value to give: the mirror is fed
   * from history, which hands out no content of Bytes values (it answers `value: null` for them, runtime base64).
   */
  typed: TypedVariable | null;
}

/** Reads of instance variables from the mirror; sync/ writes them (the engine's current set replaces the mirror's). */
@Injectable()
export class MirroredVariables {
  constructor(@InjectRepository(VariableRecord) private readonly variables: Repository<VariableRecord>) {}

  async ofInstance(processInstanceId: string): Promise<MirroredVariable[]> {
    const rows = await this.variables.find({ where: { processInstanceId, scope: 'process' }, order: { name: 'ASC' } });
    return rows.map(mirroredVariable);
  }

  async oneOfInstance(processInstanceId: string, name: string): Promise<MirroredVariable | null> {
    const row = await this.variables.findOneBy({ processInstanceId, scope: 'process', name });
    return row ? mirroredVariable(row) : null;
  }
}

function mirroredVariable(row: VariableRecord): MirroredVariable {
  const { id, name, type, value, valueInfo } = restored(row);
  const typed: TypedVariable | null =
    type === 'Bytes' ? null : { value: value ?? null, type, ...(valueInfo && Object.keys(valueInfo).length > 0 ? { valueInfo } : {}) };
  return { id, name, type, typed };
}
