import { Injectable } from '@nestjs/common';
import type { VersionDto } from '../engine-dto.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath } from '../engine-path.js';

/** What the engine says about itself. */
@Injectable()
export class EngineInfoClient {
  constructor(private readonly engine: EngineHttp) {}

  async version(): Promise<string> {
    return (await this.engine.request<VersionDto>('read engine version', { method: 'GET', url: enginePath`/version` })).version;
  }
}
