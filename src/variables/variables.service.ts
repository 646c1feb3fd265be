import { Injectable } from '@nestjs/common';
import { VariableClient } from '../camunda/clients/variable.client.js';
import type { BinaryContent, TypedVariable, TypedVariables, VariableScope } from '../camunda/camunda.models.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import type { SetVariableDto } from './dto/set-variable.dto.js';

/** Variables of instances and tasks, read and written on the engine through one codec. */
@Injectable()
export class VariablesService {
  constructor(private readonly variableClient: VariableClient) {}

  list(scope: VariableScope): Promise<TypedVariables> {
    return this.variableClient.getVariables(scope);
  }

  get(scope: VariableScope, name: string): Promise<TypedVariable> {
    return this.variableClient.getVariable(scope, name);
  }

  /** Answers with the variable as the engine stored it; if it cannot be read back, with its name only (202). */
  async set(scope: VariableScope, name: string, body: SetVariableDto): Promise<TypedVariable | AcceptedWrite> {
    const input = body.type ? { value: body.value ?? null, type: body.type, ...(body.valueInfo ? { valueInfo: body.valueInfo } : {}) } : (body.value ?? null);
    await this.variableClient.setVariable(scope, name, input);
    return afterEngineAccepted('set variable', { name }, () => this.variableClient.getVariable(scope, name));
  }

  async delete(scope: VariableScope, name: string): Promise<void> {
    await this.variableClient.deleteVariable(scope, name);
  }

  async upload(scope: VariableScope, name: string, valueType: 'File' | 'Bytes', file: BinaryContent): Promise<TypedVariable | AcceptedWrite> {
    await this.variableClient.uploadVariableData(scope, name, valueType, file);
    return afterEngineAccepted('upload variable', { name, type: valueType }, () => this.variableClient.getVariable(scope, name));
  }

  download(scope: VariableScope, name: string): Promise<BinaryContent> {
    return this.variableClient.downloadVariableData(scope, name);
  }
}
