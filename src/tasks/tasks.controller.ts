import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { TaskComment, TypedVariables } from '../camunda/camunda.models.js';
import { ACCEPTED_WRITE_RESPONSE, type AcceptedWrite } from '../commands/accepted-write.js';
import type { Page } from '../pagination/keyset-page.js';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { CompleteTaskDto } from './dto/complete-task.dto.js';
import { AddCommentDto, AssignTaskDto, ClaimTaskDto, DelegateTaskDto, ResolveTaskDto, UpdateTaskDto } from './dto/task-commands.dto.js';
import { TaskQueryDto } from './dto/task-query.dto.js';
import { TaskView } from './task.view.js';
import { TasksService } from './tasks.service.js';
import { Roles } from '../auth/access.js';
import { type AccessScope, Scope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';

@ApiTags('tasks')
@ApiExtraModels(TaskView)
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Roles(Role.Approver, Role.Operator)
  @Get()
  @ApiOperation({ summary: 'User tasks from the mirror: filters, sorting, cursor pages' })
  @ApiOkResponse({
    schema: { properties: { items: { type: 'array', items: { $ref: getSchemaPath(TaskView) } }, nextCursor: { type: 'string', nullable: true } } },
  })
  list(@Scope() scope: AccessScope, @Query() query: TaskQueryDto): Promise<Page<TaskView>> {
    return this.tasks.list(scope, query);
  }

  @Roles(Role.Approver, Role.Operator)
  @Get(':id')
  @ApiOkResponse({ type: TaskView })
  get(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<TaskView> {
    return this.tasks.get(scope, id);
  }

  @Roles(Role.Operator)
  @Patch(':id')
  @ApiOperation({ summary: 'Set due date, follow-up date or priority' })
  @ApiOkResponse({ type: TaskView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  update(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: UpdateTaskDto): Promise<TaskView | AcceptedWrite> {
    return this.tasks.update(scope, id, body);
  }

  @Roles(Role.Approver, Role.Operator)
  @Post(':id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim the task for a user' })
  @ApiOkResponse({ type: TaskView })
  @ApiConflictResponse({ description: 'Someone else holds the task' })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  claim(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: ClaimTaskDto): Promise<TaskView | AcceptedWrite> {
    return this.tasks.claim(scope, id, body.userId);
  }

  @Roles(Role.Approver, Role.Operator)
  @Post(':id/unclaim')
  @HttpCode(200)
  @ApiOkResponse({ type: TaskView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  unclaim(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<TaskView | AcceptedWrite> {
    return this.tasks.unclaim(scope, id);
  }

  @Roles(Role.Operator)
  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set (or with null clear) the assignee, whoever holds the task' })
  @ApiOkResponse({ type: TaskView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  assign(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: AssignTaskDto): Promise<TaskView | AcceptedWrite> {
    return this.tasks.assign(scope, id, body.userId);
  }

  @Roles(Role.Approver, Role.Operator)
  @Post(':id/delegate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delegate to a user; the assignee becomes the owner' })
  @ApiOkResponse({ type: TaskView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  delegate(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: DelegateTaskDto): Promise<TaskView | AcceptedWrite> {
    return this.tasks.delegate(scope, id, body.userId);
  }

  @Roles(Role.Approver, Role.Operator)
  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resolve a delegated task: it goes back to its owner' })
  @ApiOkResponse({ type: TaskView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  resolve(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: ResolveTaskDto): Promise<TaskView | AcceptedWrite> {
    return this.tasks.resolve(scope, id, body.variables);
  }

  @Roles(Role.Approver, Role.Operator)
  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete the task, setting the given process variables' })
  @ApiOkResponse({ type: TaskView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  complete(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: CompleteTaskDto): Promise<TaskView | AcceptedWrite> {
    return this.tasks.complete(scope, id, body.variables);
  }

  @Roles(Role.Approver, Role.Operator)
  @Get(':id/form-variables')
  @ApiOperation({ summary: "The variables the task's form works with, typed" })
  formVariables(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<TypedVariables> {
    return this.tasks.formVariables(scope, id);
  }

  @Roles(Role.Approver, Role.Operator)
  @Get(':id/comments')
  comments(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<TaskComment[]> {
    return this.tasks.comments(scope, id);
  }

  @Roles(Role.Approver, Role.Operator)
  @Post(':id/comments')
  addComment(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: AddCommentDto): Promise<TaskComment> {
    return this.tasks.addComment(scope, id, body.message);
  }
}
