import { Injectable } from '@nestjs/common';
import { CamundaError, CamundaErrorCode, unlessUnknown } from '../camunda/camunda.errors.js';
import { VariableClient } from '../camunda/clients/variable.client.js';
import type { BinaryContent, TypedVariable, TypedVariables, VariableScope } from '../camunda/camunda.models.js';
import type { AccessScope } from '../auth/access-scope.js';
import { type AcceptedWrite, afterEngineAccepted } from '../commands/accepted-write.js';
import { isOpenInstance } from '../mirror/open-states.js';
import type { ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { InstanceAccess } from '../process-instances/instance-access.js';
import { TaskAccess, TaskCommand } from '../tasks/task-access.js';
import type { SetVariableDto } from './dto/set-variable.dto.js';
import { MirroredVariables, type MirroredVariable } from './mirrored-variables.js';
import { refuseStartedBy } from '../sync/started-by.js';
import { InstanceRefresher } from '../sync/instance-refresher.js';

/**
 * Variables of instances and tasks. An instance's variables are read from the mirror, ended instances' too (the
 * engine's runtime forgets them when the instance ends); the engine answers only for what the mirror has not seen
 * yet or holds no value of. Tasks are open by definition, so their variables are read on the engine, which knows
 * the task's scope hierarchy. Writes go to the engine through one codec and refresh the instance in the mirror
 * before answering, so the next read shows them. Reading needs sight of the instance or task; writing needs an
 * operator of the instance, or the holder of the task.
 */
@Injectable()
export class VariablesService {
  constructor(
    private readonly variableClient: VariableClient,
    private readonly mirrored: MirroredVariables,
    private readonly instances: InstanceAccess,
    private readonly tasks: TaskAccess,
    private readonly refresher: InstanceRefresher,
  ) {}

  async list(access: AccessScope, scope: VariableScope): Promise<TypedVariables> {
    if (scope.kind !== 'process-instance') {
      await this.check(access, scope, 'read');
      return this.variableClient.getVariables(scope);
    }
    // readable() mirrors an instance the mirror has not seen yet (its variables with it) from the engine, once.
    const instance = await this.instances.readable(access, scope.id);
    const entries = await Promise.all(
      (await this.mirrored.ofInstance(instance.id)).map(
        async (variable) => [variable.name, variable.typed ?? (await this.bytesFromEngine(instance, variable))] as const,
      ),
    );
    return Object.fromEntries(entries.filter((entry): entry is readonly [string, TypedVariable] => entry[1] !== undefined));
  }

  async get(access: AccessScope, scope: VariableScope, name: string): Promise<TypedVariable> {
    if (scope.kind !== 'process-instance') {
      await this.check(access, scope, 'read');
      return this.variableClient.getVariable(scope, name);
    }
    const instance = await this.instances.readable(access, scope.id);
    const variable = await this.mirrored.oneOfInstance(instance.id, name);
    if (variable?.typed) return variable.typed;
    // A running instance's runtime has what the mirror has not seen yet (set elsewhere since the last poll), and
    // Bytes content; its 404 is the answer for a name it does not have either.
    if (isOpenInstance(instance.state)) return this.variableClient.getVariable(scope, name);
    const bytes = variable && (await this.bytesFromEngine(instance, variable));
    if (!bytes) throw variableNotFound(name);
    return bytes;
  }

  /** Answers with the variable as the engine stored it; if the mirror or the read-back fails, with its name only (202). */
  async set(access: AccessScope, scope: VariableScope, name: string, body: SetVariableDto): Promise<TypedVariable | AcceptedWrite> {
    refuseStartedBy([name], 'name');
    const instanceId = await this.check(access, scope, 'write');
    const input = body.type ? { value: body.value ?? null, type: body.type, ...(body.valueInfo ? { valueInfo: body.valueInfo } : {}) } : (body.value ?? null);
    await this.variableClient.setVariable(scope, name, input);
    return afterEngineAccepted('set variable', { name }, async () => {
      await this.refresh(access, instanceId);
      return this.variableClient.getVariable(scope, name);
    });
  }

  /** 204 once the mirror no longer shows it; 202 `{name, mirrored: false}` if the engine deleted it but the mirror could not be refreshed. */
  async delete(access: AccessScope, scope: VariableScope, name: string): Promise<AcceptedWrite | undefined> {
    refuseStartedBy([name], 'name');
    const instanceId = await this.check(access, scope, 'write');
    await this.variableClient.deleteVariable(scope, name);
    return afterEngineAccepted('delete variable', { name }, async () => {
      await this.refresh(access, instanceId);
      return undefined;
    });
  }

  async upload(
    access: AccessScope,
    scope: VariableScope,
    name: string,
    valueType: 'File' | 'Bytes',
    file: BinaryContent,
  ): Promise<TypedVariable | AcceptedWrite> {
    refuseStartedBy([name], 'name');
    const instanceId = await this.check(access, scope, 'write');
    await this.variableClient.uploadVariableData(scope, name, valueType, file);
    return afterEngineAccepted('upload variable', { name, type: valueType }, async () => {
      await this.refresh(access, instanceId);
      return this.variableClient.getVariable(scope, name);
    });
  }

  /** The mirror keeps what a File or Bytes variable is, never its content: that always comes from the engine. */
  async download(access: AccessScope, scope: VariableScope, name: string): Promise<BinaryContent> {
    if (scope.kind !== 'process-instance') {
      await this.check(access, scope, 'read');
      return this.variableClient.downloadVariableData(scope, name);
    }
    const instance = await this.instances.readable(access, scope.id);
    if (isOpenInstance(instance.state)) return this.variableClient.downloadVariableData(scope, name);
    // Ended: the runtime has forgotten the variable, history still has its content under the id the mirror kept.
    const variable = await this.mirrored.oneOfInstance(instance.id, name);
    if (!variable) throw variableNotFound(name);
    return this.variableClient.downloadHistoricVariableData(variable.id);
  }

  /** Bytes content, which the mirror does not hold: from the runtime while the instance runs, from history after. Undefined if gone meanwhile. */
  private async bytesFromEngine(instance: ProcessInstanceRecord, variable: MirroredVariable): Promise<TypedVariable | undefined> {
    if (isOpenInstance(instance.state)) return unlessUnknown(this.variableClient.getVariable({ kind: 'process-instance', id: instance.id }, variable.name));
    const data = await unlessUnknown(this.variableClient.downloadHistoricVariableData(variable.id));
    return data && { value: data.content.toString('base64'), type: variable.type };
  }

  private async refresh(access: AccessScope, instanceId: string | null): Promise<void> {
    if (instanceId) await this.refresher.refreshInstance(instanceId, { actor: access.actor });
  }

  /** The instance whose variables the scope names (null: a task outside any instance). */
  private async check(access: AccessScope, scope: VariableScope, intent: 'read' | 'write'): Promise<string | null> {
    if (scope.kind === 'process-instance') {
      await (intent === 'read' ? this.instances.readable(access, scope.id) : this.instances.manageable(access, scope.id));
      return scope.id;
    }
    return (await this.tasks.checkCommand(access, scope.id, intent === 'read' ? TaskCommand.Work : TaskCommand.Hold)).processInstanceId;
  }
}

/** The engine's own 404 for a missing variable of an instance in reach, whether the instance still runs or not. */
function variableNotFound(name: string): CamundaError {
  return new CamundaError(CamundaErrorCode.NotFound, `Variable '${name}' does not exist`);
}
