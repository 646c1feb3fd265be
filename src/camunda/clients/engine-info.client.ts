import { Injectable } from '@nestjs/common';
import type { TelemetryDataDto, VersionDto } from '../engine-dto.js';
import { engineIdentityOf, type EngineIdentity } from '../engine-identity.js';
import { EngineHttp } from '../engine-http.js';
import { enginePath } from '../engine-path.js';

/** What the engine says about itself. */
@Injectable()
export class EngineInfoClient {
  constructor(private readonly engine: EngineHttp) {}

  async version(): Promise<string> {
    return (await this.engine.request<VersionDto>('read engine version', { method: 'GET', url: enginePath`/version` })).version;
  }

  /** Product name and version. The telemetry data is the one place engine-rest names its product (Camunda, Operaton). */
  async identity(): Promise<EngineIdentity> {
    const [telemetry, version] = await Promise.all([
      this.engine.request<TelemetryDataDto>('read engine product', { method: 'GET', url: enginePath`/telemetry/data` }),
      this.version(),
    ]);
    return engineIdentityOf(telemetry.product.name, version);
  }
}
