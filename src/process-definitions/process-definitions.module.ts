import { Module } from '@nestjs/common';
import { MirrorModule } from '../mirror/mirror.module.js';
import { ProcessDefinitionsController } from './process-definitions.controller.js';
import { ProcessDefinitionsService } from './process-definitions.service.js';

@Module({
  imports: [MirrorModule],
  controllers: [ProcessDefinitionsController],
  providers: [ProcessDefinitionsService],
})
export class ProcessDefinitionsModule {}
