import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EngineIncident } from '../camunda/camunda.models.js';
import { ACCEPTED_WRITE_RESPONSE, type AcceptedWrite } from '../commands/accepted-write.js';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { AnnotateIncidentDto, IncidentQueryDto, SetRetriesDto } from './dto/incident-commands.dto.js';
import { IncidentsService } from './incidents.service.js';
import { Roles } from '../auth/access.js';
import { type AccessScope, Scope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';

@ApiTags('incidents')
@Controller()
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Roles(Role.Operator)
  @Get('incidents')
  @ApiOperation({
    summary: 'Incidents (open unless `state` says otherwise), newest first, from the mirror; `configuration` is the job or external task to retry',
  })
  list(@Scope() scope: AccessScope, @Query() query: IncidentQueryDto): Promise<EngineIncident[]> {
    return this.incidents.list(scope, query);
  }

  @Roles(Role.Operator)
  @Get('process-instances/:id/incidents')
  @ApiOperation({ summary: 'Incidents of one instance (open unless `state` says otherwise), ended instances too' })
  ofInstance(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Query() query: IncidentQueryDto): Promise<EngineIncident[]> {
    return this.incidents.ofInstance(scope, id, query);
  }

  @Roles(Role.Operator)
  @Put('incidents/:id/annotation')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  annotate(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: AnnotateIncidentDto): Promise<AcceptedWrite | undefined> {
    return this.incidents.annotate(scope, id, body.annotation);
  }

  @Roles(Role.Operator)
  @Delete('incidents/:id/annotation')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  clearAnnotation(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<AcceptedWrite | undefined> {
    return this.incidents.annotate(scope, id, null);
  }

  @Roles(Role.Operator)
  @Put('jobs/:id/retries')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set the retries of a failed job; above zero resolves its incident and runs it again' })
  @ApiNoContentResponse()
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  jobRetries(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: SetRetriesDto): Promise<AcceptedWrite | undefined> {
    return this.incidents.setJobRetries(scope, id, body.retries);
  }

  @Roles(Role.Operator)
  @Put('external-tasks/:id/retries')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set the retries of a failed external task; above zero resolves its incident' })
  @ApiNoContentResponse()
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  externalTaskRetries(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Body() body: SetRetriesDto): Promise<AcceptedWrite | undefined> {
    return this.incidents.setExternalTaskRetries(scope, id, body.retries);
  }
}
