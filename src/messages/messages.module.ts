import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { MessagesController } from './messages.controller.js';
import { MessagesService } from './messages.service.js';

@Module({
  imports: [CamundaModule, SyncModule],
  controllers: [MessagesController],
  providers: [MessagesService],
})
export class MessagesModule {}
