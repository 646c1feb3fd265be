import { Injectable } from '@nestjs/common';
import { parse as parseContentDisposition } from 'content-disposition';
import type { BinaryContent, TypedVariable, TypedVariables, VariableScope } from '../camunda.models.js';
import type { TypedValueDto, VariableMapDto } from '../engine-dto.js';
import { decodeTyped, decodeTypedVariables, encodeVariable } from '../variable-codec.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath, joinEnginePaths, type EnginePath } from '../engine-path.js';

/** Variables of instances and tasks, through the one variable codec. */
@Injectable()
export class VariableClient {
  constructor(private readonly engine: EngineHttp) {}

  async getVariables(scope: VariableScope): Promise<TypedVariables> {
    // deserializeValues=false: Object values come back as the engine stored them, never re-serialized.
    const dto = await this.engine.request<VariableMapDto>('read variables', { method: 'GET', url: variablesPath(scope), params: { deserializeValues: false } });
    return decodeTypedVariables(dto);
  }

  async getVariable(scope: VariableScope, name: string): Promise<TypedVariable> {
    const url = variablePath(scope, name);
    return decodeTyped(await this.engine.request<TypedValueDto>(`read variable '${name}'`, { method: 'GET', url, params: { deserializeValue: false } }));
  }

  async setVariable(scope: VariableScope, name: string, input: unknown): Promise<void> {
    const url = variablePath(scope, name);
    await this.engine.request(`set variable '${name}'`, { method: 'PUT', url, data: encodeVariable(name, input) });
  }

  async deleteVariable(scope: VariableScope, name: string): Promise<void> {
    await this.engine.request(`delete variable '${name}'`, { method: 'DELETE', url: variablePath(scope, name) });
  }

  async uploadVariableData(scope: VariableScope, name: string, valueType: 'File' | 'Bytes', file: BinaryContent): Promise<void> {
    const form = new FormData();
    const blob = new Blob([new Uint8Array(file.content)], { type: file.mimeType ?? 'application/octet-stream' });
    form.append('data', blob, file.fileName ?? name);
    form.append('valueType', valueType);
    await this.engine.request(`upload variable '${name}'`, { method: 'POST', url: joinEnginePaths(variablePath(scope, name), enginePath`/data`), data: form });
  }

  async downloadVariableData(scope: VariableScope, name: string): Promise<BinaryContent> {
    return download(this.engine, `download variable '${name}'`, joinEnginePaths(variablePath(scope, name), enginePath`/data`));
  }

  /** The content of a File or Bytes variable by its variable-instance id, from history: still there once its instance has ended. */
  async downloadHistoricVariableData(variableInstanceId: string): Promise<BinaryContent> {
    return download(this.engine, 'download historic variable', enginePath`/history/variable-instance/${variableInstanceId}/data`);
  }
}

async function download(engine: EngineHttp, operation: string, url: EnginePath): Promise<BinaryContent> {
  const response = await engine.requestRaw(operation, { method: 'GET', url, responseType: 'arraybuffer' });
  const disposition = fileNameOf(String(response.headers['content-disposition'] ?? ''));
  return {
    content: Buffer.from(response.data as ArrayBuffer),
    mimeType: response.headers['content-type'] ? String(response.headers['content-type']) : null,
    fileName: disposition,
  };
}

function variablesPath(scope: VariableScope): EnginePath {
  switch (scope.kind) {
    case 'process-instance':
      return enginePath`/process-instance/${scope.id}/variables`;
    case 'task':
      return enginePath`/task/${scope.id}/variables`;
    case 'task-local':
      return enginePath`/task/${scope.id}/localVariables`;
  }
}

function variablePath(scope: VariableScope, name: string): EnginePath {
  return joinEnginePaths(variablesPath(scope), enginePath`/${name}`);
}

function fileNameOf(disposition: string): string | null {
  try {
    const name = parseContentDisposition(disposition).parameters['filename'];
    return typeof name === 'string' ? name : null;
  } catch {
    return /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? null;
  }
}
