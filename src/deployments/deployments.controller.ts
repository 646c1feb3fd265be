import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EngineDeployment, EngineDeploymentSummary } from '../camunda/camunda.models.js';
import { ACCEPTED_WRITE_RESPONSE, type AcceptedWrite } from '../commands/accepted-write.js';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { DeploymentsService } from './deployments.service.js';
import { CreateDeploymentDto } from './dto/create-deployment.dto.js';
import { DeleteDeploymentQueryDto, DeploymentQueryDto } from './dto/deployment-query.dto.js';
import { Roles } from '../auth/access.js';
import { type AccessScope, Scope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';

// Every part is held in memory until the handler runs: fields are few and small.
const FIELD_LIMITS = { fields: 10, fieldSize: 64 * 1024 };
const MAX_FILES = 20;
const MAX_FILE_BYTES = 5 * 1024 * 1024;

@ApiTags('deployments')
@Controller('deployments')
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentsService) {}

  @Roles(Role.Admin)
  @Post()
  @UseInterceptors(
    AnyFilesInterceptor({
      limits: { files: MAX_FILES, fileSize: MAX_FILE_BYTES, ...FIELD_LIMITS, parts: MAX_FILES + FIELD_LIMITS.fields },
      defParamCharset: 'utf8',
    }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'files'],
      properties: {
        name: { type: 'string', example: 'ticket-approval-v2' },
        tenantId: { type: 'string' },
        deployChangedOnly: { type: 'boolean' },
        files: { type: 'array', items: { type: 'string', format: 'binary' }, description: '.bpmn, .dmn or .form files (any part name)' },
      },
    },
  })
  @ApiOperation({ summary: 'Deploy BPMN, DMN and form files; a model the engine rejects is a 400 with its parse problems (resource, line, column, element)' })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  create(
    @Scope() scope: AccessScope,
    @Body() body: CreateDeploymentDto,
    @UploadedFiles() files: Express.Multer.File[] = [],
  ): Promise<EngineDeployment | AcceptedWrite> {
    return this.deployments.create(
      scope,
      body,
      files.map((file) => ({ fileName: file.originalname, content: file.buffer })),
    );
  }

  @Roles(Role.Operator)
  @Get()
  @ApiOperation({ summary: 'Deployments, newest first (from the engine)' })
  list(@Scope() scope: AccessScope, @Query() query: DeploymentQueryDto): Promise<EngineDeploymentSummary[]> {
    return this.deployments.list(scope, query);
  }

  @Roles(Role.Operator)
  @Get(':id')
  get(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<EngineDeploymentSummary> {
    return this.deployments.get(scope, id);
  }

  @Roles(Role.Operator)
  @Get(':id/resources')
  resources(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string): Promise<{ id: string; name: string }[]> {
    return this.deployments.resources(scope, id);
  }

  @Roles(Role.Admin)
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Delete; without cascade=true the engine refuses (409) while instances exist' })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  remove(@Scope() scope: AccessScope, @Param('id', EngineIdPipe) id: string, @Query() query: DeleteDeploymentQueryDto): Promise<AcceptedWrite | undefined> {
    return this.deployments.delete(scope, id, query.cascade ?? false);
  }
}
