import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EngineIncident } from '../camunda/camunda.models.js';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { AnnotateIncidentDto, IncidentQueryDto, SetRetriesDto } from './dto/incident-commands.dto.js';
import { IncidentsService } from './incidents.service.js';

@ApiTags('incidents')
@Controller()
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get('incidents')
  @ApiOperation({ summary: 'Open incidents, newest first (from the engine); `configuration` is the job or external task to retry' })
  list(@Query() query: IncidentQueryDto): Promise<EngineIncident[]> {
    return this.incidents.list(query);
  }

  @Get('process-instances/:id/incidents')
  @ApiOperation({ summary: 'Open incidents of one instance' })
  ofInstance(@Param('id', EngineIdPipe) id: string, @Query() query: IncidentQueryDto): Promise<EngineIncident[]> {
    return this.incidents.ofInstance(id, query);
  }

  @Put('incidents/:id/annotation')
  @HttpCode(204)
  @ApiNoContentResponse()
  async annotate(@Param('id', EngineIdPipe) id: string, @Body() body: AnnotateIncidentDto): Promise<void> {
    await this.incidents.annotate(id, body.annotation);
  }

  @Delete('incidents/:id/annotation')
  @HttpCode(204)
  @ApiNoContentResponse()
  async clearAnnotation(@Param('id', EngineIdPipe) id: string): Promise<void> {
    await this.incidents.annotate(id, null);
  }

  @Put('jobs/:id/retries')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set the retries of a failed job; above zero resolves its incident and runs it again' })
  @ApiNoContentResponse()
  async jobRetries(@Param('id', EngineIdPipe) id: string, @Body() body: SetRetriesDto): Promise<void> {
    await this.incidents.setJobRetries(id, body.retries);
  }

  @Put('external-tasks/:id/retries')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set the retries of a failed external task; above zero resolves its incident' })
  @ApiNoContentResponse()
  async externalTaskRetries(@Param('id', EngineIdPipe) id: string, @Body() body: SetRetriesDto): Promise<void> {
    await this.incidents.setExternalTaskRetries(id, body.retries);
  }
}
