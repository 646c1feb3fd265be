import { Injectable } from '@nestjs/common';
import { CamundaClient } from '../camunda/camunda-client.js';
import type { BinaryContent, TypedVariable, TypedVariables, VariableScope } from '../camunda/camunda.models.js';
import type { SetVariableDto } from './dto/set-variable.dto.js';

/** Variables of instances and tasks, read and written on the engine through one codec. */
@Injectable()
export class VariablesService {
  constructor(private readonly camunda: CamundaClient) {}

  list(scope: VariableScope): Promise<TypedVariables> {
    return this.camunda.getVariables(scope);
  }

  get(scope: VariableScope, name: string): Promise<TypedVariable> {
    return this.camunda.getVariable(scope, name);
  }

  async set(scope: VariableScope, name: string, body: SetVariableDto): Promise<TypedVariable> {
    const input = body.type ? { value: body.value ?? null, type: body.type, ...(body.valueInfo ? { valueInfo: body.valueInfo } : {}) } : (body.value ?? null);
    await this.camunda.setVariable(scope, name, input);
    return this.camunda.getVariable(scope, name);
  }

  async delete(scope: VariableScope, name: string): Promise<void> {
    await this.camunda.deleteVariable(scope, name);
  }

  async upload(scope: VariableScope, name: string, valueType: 'File' | 'Bytes', file: BinaryContent): Promise<TypedVariable> {
    await this.camunda.uploadVariableData(scope, name, valueType, file);
    return this.camunda.getVariable(scope, name);
  }

  download(scope: VariableScope, name: string): Promise<BinaryContent> {
    return this.camunda.downloadVariableData(scope, name);
  }
}
