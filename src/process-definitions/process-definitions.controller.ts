import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { DefinitionStatistics } from '../camunda/camunda.models.js';
import { ACCEPTED_WRITE_RESPONSE, type AcceptedWrite } from '../commands/accepted-write.js';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { DefinitionQueryDto, SuspendDefinitionDto } from './dto/definition-query.dto.js';
import { ProcessDefinitionView } from './process-definition.view.js';
import { ProcessDefinitionsService } from './process-definitions.service.js';

@ApiTags('process-definitions')
@Controller('process-definitions')
export class ProcessDefinitionsController {
  constructor(private readonly definitions: ProcessDefinitionsService) {}

  @Get()
  @ApiOperation({ summary: 'Deployed process definitions, from the mirror' })
  @ApiOkResponse({ type: [ProcessDefinitionView] })
  list(@Query() query: DefinitionQueryDto): Promise<ProcessDefinitionView[]> {
    return this.definitions.list(query);
  }

  @Get('key/:key')
  @ApiOperation({ summary: 'The latest version of a key (without tenantId: of the definitions without tenant)' })
  @ApiQuery({ name: 'tenantId', required: false })
  @ApiOkResponse({ type: ProcessDefinitionView })
  latest(@Param('key') key: string, @Query() query: DefinitionQueryDto): Promise<ProcessDefinitionView> {
    return this.definitions.latest(key, query.tenantId);
  }

  @Get(':id')
  @ApiOkResponse({ type: ProcessDefinitionView })
  get(@Param('id', EngineIdPipe) id: string): Promise<ProcessDefinitionView> {
    return this.definitions.get(id);
  }

  @Get(':id/xml')
  @Header('Content-Type', 'application/xml; charset=utf-8')
  @ApiProduces('application/xml')
  @ApiOperation({ summary: 'The BPMN 2.0 XML of this version' })
  xml(@Param('id', EngineIdPipe) id: string): Promise<string> {
    return this.definitions.xml(id);
  }

  @Get(':id/statistics')
  @ApiOperation({ summary: 'Running instances, failed jobs and open incidents of this version' })
  statistics(@Param('id', EngineIdPipe) id: string): Promise<DefinitionStatistics & { definitionId: string }> {
    return this.definitions.statistics(id);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: ProcessDefinitionView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  suspend(@Param('id', EngineIdPipe) id: string, @Body() body: SuspendDefinitionDto): Promise<ProcessDefinitionView | AcceptedWrite> {
    return this.definitions.setSuspended(id, true, body.includeInstances ?? false);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @ApiOkResponse({ type: ProcessDefinitionView })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  activate(@Param('id', EngineIdPipe) id: string, @Body() body: SuspendDefinitionDto): Promise<ProcessDefinitionView | AcceptedWrite> {
    return this.definitions.setSuspended(id, false, body.includeInstances ?? false);
  }
}
