import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { ClaimTaskDto } from './dto/claim-task.dto.js';
import { CompleteTaskDto } from './dto/complete-task.dto.js';
import { TaskQueryDto } from './dto/task-query.dto.js';
import { TaskView } from './task.view.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'User tasks from the mirror, oldest first' })
  @ApiOkResponse({ type: [TaskView] })
  list(@Query() query: TaskQueryDto): Promise<TaskView[]> {
    return this.tasks.list(query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TaskView })
  get(@Param('id', EngineIdPipe) id: string): Promise<TaskView> {
    return this.tasks.get(id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Claim the task for a user; 409 when someone else holds it' })
  @ApiOkResponse({ type: TaskView })
  claim(@Param('id', EngineIdPipe) id: string, @Body() body: ClaimTaskDto): Promise<TaskView> {
    return this.tasks.claim(id, body.userId);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Complete the task, setting the given process variables' })
  @ApiOkResponse({ type: TaskView })
  complete(@Param('id', EngineIdPipe) id: string, @Body() body: CompleteTaskDto): Promise<TaskView> {
    return this.tasks.complete(id, body.variables);
  }
}
