import { Injectable } from '@nestjs/common';
import { VariableClient } from '../camunda/clients/variable.client.js';
import type { BinaryContent, TypedVariable, TypedVariables, VariableScope } from '../camunda/camunda.models.js';
import type { AccessScope } from '../auth/access-scope.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { InstanceAccess } from '../process-instances/instance-access.js';
import { TaskAccess, TaskCommand } from '../tasks/task-access.js';
import type { SetVariableDto } from './dto/set-variable.dto.js';
import { refuseStartedBy } from '../sync/started-by.js';

/**
 * Variables of instances and tasks, read and written on the engine through one codec. Reading needs sight of the
 * instance or task; writing needs an operator of the instance, or the holder of the task.
 */
@Injectable()
export class VariablesService {
  constructor(
    private readonly variableClient: VariableClient,
    private readonly instances: InstanceAccess,
    private readonly tasks: TaskAccess,
  ) {}

  async list(access: AccessScope, scope: VariableScope): Promise<TypedVariables> {
    await this.check(access, scope, 'read');
    return this.variableClient.getVariables(scope);
  }

  async get(access: AccessScope, scope: VariableScope, name: string): Promise<TypedVariable> {
    await this.check(access, scope, 'read');
    return this.variableClient.getVariable(scope, name);
  }

  /** Answers with the variable as the engine stored it; if it cannot be read back, with its name only (202). */
  async set(access: AccessScope, scope: VariableScope, name: string, body: SetVariableDto): Promise<TypedVariable | AcceptedWrite> {
    refuseStartedBy([name], 'name');
    await this.check(access, scope, 'write');
    const input = body.type ? { value: body.value ?? null, type: body.type, ...(body.valueInfo ? { valueInfo: body.valueInfo } : {}) } : (body.value ?? null);
    await this.variableClient.setVariable(scope, name, input);
    return afterEngineAccepted('set variable', { name }, () => this.variableClient.getVariable(scope, name));
  }

  async delete(access: AccessScope, scope: VariableScope, name: string): Promise<void> {
    refuseStartedBy([name], 'name');
    await this.check(access, scope, 'write');
    await this.variableClient.deleteVariable(scope, name);
  }

  async upload(access: AccessScope, scope: VariableScope, name: string, valueType: 'File' | 'Bytes', file: BinaryContent): Promise<TypedVariable | AcceptedWrite> {
    refuseStartedBy([name], 'name');
    await this.check(access, scope, 'write');
    await this.variableClient.uploadVariableData(scope, name, valueType, file);
    return afterEngineAccepted('upload variable', { name, type: valueType }, () => this.variableClient.getVariable(scope, name));
  }

  async download(access: AccessScope, scope: VariableScope, name: string): Promise<BinaryContent> {
    await this.check(access, scope, 'read');
    return this.variableClient.downloadVariableData(scope, name);
  }

  private async check(access: AccessScope, scope: VariableScope, intent: 'read' | 'write'): Promise<void> {
    if (scope.kind === 'process-instance') {
      await (intent === 'read' ? this.instances.readable(access, scope.id) : this.instances.manageable(access, scope.id));
    } else {
      await this.tasks.checkCommand(access, scope.id, intent === 'read' ? TaskCommand.Work : TaskCommand.Hold);
    }
  }
}
