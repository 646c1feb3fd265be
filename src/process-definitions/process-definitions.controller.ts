import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { DefinitionStatistics } from '../camunda/camunda.models.js';
import { ACCEPTED_WRITE_RESPONSE, type AcceptedWrite } from '../commands/accepted-write.js';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { DefinitionQueryDto, SuspendDefinitionDto } from './dto/definition-query.dto.js';
import { ProcessDefinitionView } from './process-definition.view.js';
import { ProcessDefinitionsService } from './process-definitions.service.js';
import { Roles } from '../auth/access.js';
import { type AccessScope, Scope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';

@ApiTags('process-definitions')
@Controller('process-definitions')
export class ProcessDefinitionsController {
  constructor(private readonly definitions: ProcessDefinitionsService) {}

  @Roles(Role.Requester, Role.Approver, Role.Operator)
  @Get()
  @ApiOperation({ summary: 'Deployed process definitions, from the mirror' })
  @ApiOkResponse({ type: [ProcessDefinitionView] })
  list(@Scope() scope: AccessScope, @Query() query: DefinitionQueryDto): Promise<ProcessDefinitionView[]> {
    return this.definitions.list(scope, query);
  }

  @Roles(Role.Requester, Role.Approver, Role.Operator)
  @Get('key/:key')
  @ApiOperation({ summary: 'The latest version of a key (without tenantId: of the definitions without tenant)' })
  @ApiQuery({ name: 'tenantId', required: false })
  @ApiOkResponse({ type: ProcessDefinitionView })
  latest(@Scope() scope: AccessScope, @Param('key') key: string, @Query() query: DefinitionQueryDto): Promise<ProcessDefinitionView> {
    return this.definitions.latest(scope, key, query.tenantId);
  }

  @Roles(Role.Requester, Role.Approver, Role.Operator)
  @Get(':id')
  @ApiOkResponse({ type: ProcessDefinitionView })
  get(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<ProcessDefinitionView> {
    return this.definitions.get(scope, id);
  }

  @Roles(Role.Requester, Role.Approver, Role.Operator)
  @Get(':id/xml')
  @Header('Content-Type', 'application/xml; charset=utf-8')
  @ApiProduces('application/xml')
  @ApiOperation({ summary: 'The BPMN 2.0 XML of this version' })
  xml(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<string> {
    return this.definitions.xml(scope, id);
  }

  @Roles(Role.Operator)
  @Get(':id/statistics')
  @ApiOperation({ summary: 'Running instances, failed jobs and open incidents of this version' })
  statistics(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<DefinitionStatistics & { definitionId: string }> {
    return this.definitions.statistics(scope, id);
  }

  @Roles(Role.Admin)
  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: ProcessDefinitionView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  suspend(
    @Scope() scope: AccessScope,
    @Param('id', EngineIdPipe) id: string,
    @Body() body: SuspendDefinitionDto,
  ): Promise<ProcessDefinitionView | AcceptedWrite> {
    return this.definitions.setSuspended(scope, id, true, body.includeInstances ?? false);
  }

  @Roles(Role.Admin)
  @Post(':id/activate')
  @HttpCode(200)
  @ApiOkResponse({ type: ProcessDefinitionView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  activate(
    @Scope() scope: AccessScope,
    @Param('id', EngineIdPipe) id: string,
    @Body() body: SuspendDefinitionDto,
  ): Promise<ProcessDefinitionView | AcceptedWrite> {
    return this.definitions.setSuspended(scope, id, false, body.includeInstances ?? false);
  }
}
