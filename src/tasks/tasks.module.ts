import { Module } from '@nestjs/common';
import { CamundaModule } from '../camunda/camunda.module.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { SyncModule } from '../sync/sync.module.js';
import { TasksController } from './tasks.controller.js';
import { TasksService } from './tasks.service.js';
import { CommentAuthors } from './comment-authors.js';
import { TaskAccess } from './task-access.js';
import { UserGroups } from './user-groups.js';

@Module({
  imports: [CamundaModule, MirrorModule, SyncModule],
  controllers: [TasksController],
  providers: [TasksService, UserGroups, TaskAccess, CommentAuthors],
  exports: [TaskAccess],
})
export class TasksModule {}
