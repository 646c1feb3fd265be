import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ActivityInstanceNode } from '../camunda/camunda.models.js';
import { ACCEPTED_WRITE_RESPONSE, AcceptedWrite } from '../commands/accepted-write.js';
import type { Page } from '../pagination/keyset-page.js';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { CancelProcessInstanceDto } from './dto/cancel-process-instance.dto.js';
import { ProcessInstanceQueryDto } from './dto/process-instance-query.dto.js';
import { StartProcessInstanceDto } from './dto/start-process-instance.dto.js';
import type { ProcessInstanceHistory } from './process-instance-history.js';
import { ProcessInstanceView } from './process-instance.view.js';
import { ProcessInstancesService } from './process-instances.service.js';
import { Roles } from '../auth/access.js';
import { type AccessScope, Scope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';

@ApiTags('process-instances')
@ApiExtraModels(ProcessInstanceView)
@Controller('process-instances')
export class ProcessInstancesController {
  constructor(private readonly instances: ProcessInstancesService) {}

  @Roles(Role.Requester, Role.Operator)
  @Post()
  @ApiOperation({ summary: 'Start a process: latest version of a key (optionally of a tenant) or a definition id' })
  @ApiCreatedResponse({ type: ProcessInstanceView })
  @ApiAcceptedResponse({ description: 'Started, but the mirror could not be updated yet: `{ id, definitionId, businessKey, mirrored: false }`; do not retry' })
  start(@Scope() scope: AccessScope, @Body() body: StartProcessInstanceDto): Promise<object> {
    return this.instances.start(scope, body);
  }

  @Roles(Role.Requester, Role.Operator)
  @Get()
  @ApiOperation({ summary: 'Process instances from the mirror: filters and cursor pages, newest first by default' })
  @ApiOkResponse({
    schema: { properties: { items: { type: 'array', items: { $ref: getSchemaPath(ProcessInstanceView) } }, nextCursor: { type: 'string', nullable: true } } },
  })
  list(@Scope() scope: AccessScope, @Query() query: ProcessInstanceQueryDto): Promise<Page<ProcessInstanceView>> {
    return this.instances.list(scope, query);
  }

  @Roles(Role.Requester, Role.Operator)
  @Get(':id')
  @ApiOperation({ summary: 'A process instance as the mirror knows it' })
  @ApiOkResponse({ type: ProcessInstanceView })
  get(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<ProcessInstanceView> {
    return this.instances.get(scope, id);
  }

  @Roles(Role.Operator)
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel with a reason; 200 once ended, 202 if the engine is still cancelling' })
  @ApiOkResponse({ type: ProcessInstanceView })
  @ApiAcceptedResponse({
    type: ProcessInstanceView,
    description: 'The engine is still cancelling (the instance as it is now); or, as `{ id, mirrored: false }`, cancelled but not yet mirrored',
  })
  async cancel(
    @Scope() scope: AccessScope,
    @Param('id', EngineIdPipe) id: string,
    @Body() body: CancelProcessInstanceDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProcessInstanceView | AcceptedWrite> {
    const outcome = await this.instances.cancel(scope, id, body.reason);
    if (outcome instanceof AcceptedWrite) return outcome;
    if (!outcome.ended) response.status(202);
    return outcome.view;
  }

  @Roles(Role.Operator)
  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: ProcessInstanceView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  suspend(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<ProcessInstanceView | AcceptedWrite> {
    return this.instances.setSuspended(scope, id, true);
  }

  @Roles(Role.Operator)
  @Post(':id/activate')
  @HttpCode(200)
  @ApiOkResponse({ type: ProcessInstanceView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  activate(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<ProcessInstanceView | AcceptedWrite> {
    return this.instances.setSuspended(scope, id, false);
  }

  @Roles(Role.Requester, Role.Operator)
  @Get(':id/activity-instances')
  @ApiOperation({ summary: 'The tree of activities the instance is in now (from the engine)' })
  activityTree(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<ActivityInstanceNode> {
    return this.instances.activityTree(scope, id);
  }

  @Roles(Role.Requester, Role.Operator)
  @Get(':id/history')
  @ApiOperation({ summary: 'Audit view: activities, tasks and variable changes, in order (from engine history)' })
  history(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<ProcessInstanceHistory> {
    return this.instances.history(scope, id);
  }
}
