import { Injectable } from '@nestjs/common';
import type {
  BinaryContent,
  TypedVariable,
  TypedVariables,
  VariableScope,
} from '../camunda.models.js';
import type { TypedValueDto, VariableMapDto } from '../engine-dto.js';
import { decodeTyped, decodeTypedVariables, encodeVariable } from '../variable-codec.js';
import { EngineHttp } from '../engine-http.js';

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
    const url = `${variablesPath(scope)}/${encodeURIComponent(name)}`;
    return decodeTyped(await this.engine.request<TypedValueDto>(`read variable '${name}'`, { method: 'GET', url, params: { deserializeValue: false } }));
  }

  async setVariable(scope: VariableScope, name: string, input: unknown): Promise<void> {
    const url = `${variablesPath(scope)}/${encodeURIComponent(name)}`;
    await this.engine.request(`set variable '${name}'`, { method: 'PUT', url, data: encodeVariable(name, input) });
  }

  async deleteVariable(scope: VariableScope, name: string): Promise<void> {
    await this.engine.request(`delete variable '${name}'`, { method: 'DELETE', url: `${variablesPath(scope)}/${encodeURIComponent(name)}` });
  }

  async uploadVariableData(scope: VariableScope, name: string, valueType: 'File' | 'Bytes', file: BinaryContent): Promise<void> {
    const form = new FormData();
    const blob = new Blob([new Uint8Array(file.content)], { type: file.mimeType ?? 'application/octet-stream' });
    form.append('data', blob, file.fileName ?? name);
    form.append('valueType', valueType);
    await this.engine.request(`upload variable '${name}'`, { method: 'POST', url: `${variablesPath(scope)}/${encodeURIComponent(name)}/data`, data: form });
  }

  async downloadVariableData(scope: VariableScope, name: string): Promise<BinaryContent> {
    const response = await this.engine.requestRaw(`download variable '${name}'`, {
      method: 'GET',
      url: `${variablesPath(scope)}/${encodeURIComponent(name)}/data`,
      responseType: 'arraybuffer',
    });
    const disposition = String(response.headers['content-disposition'] ?? '');
    return {
      content: Buffer.from(response.data as ArrayBuffer),
      mimeType: response.headers['content-type'] ? String(response.headers['content-type']) : null,
      fileName: /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? null,
    };
  }
}

function variablesPath(scope: VariableScope): string {
  const id = encodeURIComponent(scope.id);
  switch (scope.kind) {
    case 'process-instance':
      return `/process-instance/${id}/variables`;
    case 'task':
      return `/task/${id}/variables`;
    case 'task-local':
      return `/task/${id}/localVariables`;
  }
}
