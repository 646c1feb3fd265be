import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { EngineGate } from './engine-gate.js';

/** Which engine the gateway runs against, and whether it may. */
@Module({
  imports: [CamundaModule],
  providers: [EngineGate],
  exports: [EngineGate],
})
export class EngineSupportModule {}
