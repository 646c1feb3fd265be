import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { create as contentDisposition } from 'content-disposition';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { BinaryContent, TypedVariable, TypedVariables, VariableScope } from '../camunda/camunda.models.js';
import { ACCEPTED_WRITE_RESPONSE, type AcceptedWrite } from '../commands/accepted-write.js';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { SetVariableDto } from './dto/set-variable.dto.js';
import { UploadVariableDto } from './dto/upload-variable.dto.js';
import { VariableScopeQueryDto } from './dto/variable-scope-query.dto.js';
import { VariableNamePipe } from './variable-name.pipe.js';
import { VariablesService } from './variables.service.js';
import { Roles } from '../auth/access.js';
import { type AccessScope, Scope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';

const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;
const UPLOAD_SCHEMA = {
  schema: {
    type: 'object',
    required: ['data'],
    properties: { data: { type: 'string', format: 'binary' }, valueType: { type: 'string', enum: ['File', 'Bytes'], default: 'File' } },
  },
};

function toBinary(file: Express.Multer.File | undefined): BinaryContent {
  if (!file)
    throw new GatewayError(GatewayErrorCode.ValidationFailed, 'No file uploaded', [{ field: 'data', messages: ['a multipart part named data is required'] }]);
  return { content: file.buffer, fileName: file.originalname, mimeType: file.mimetype };
}

function toDownload(binary: BinaryContent): StreamableFile {
  return new StreamableFile(binary.content, {
    type: binary.mimeType ?? 'application/octet-stream',
    // RFC 6266: an ASCII fallback plus filename* in UTF-8, so any name survives the header.
    disposition: contentDisposition(binary.fileName ?? undefined),
  });
}

/** Routes shared by the two scopes; subclasses only say how a path id becomes a scope. */
abstract class VariablesRoutes {
  protected constructor(private readonly variables: VariablesService) {}

  protected abstract scope(id: string, query: VariableScopeQueryDto): VariableScope;

  @Roles(Role.Requester, Role.Approver, Role.Operator)
  @Get()
  @ApiOperation({ summary: 'All variables, typed (Object values stay serialized)' })
  list(@Scope() access: AccessScope, @Param('id', EngineIdPipe) id: string, @Query() query: VariableScopeQueryDto): Promise<TypedVariables> {
    return this.variables.list(access, this.scope(id, query));
  }

  @Roles(Role.Requester, Role.Approver, Role.Operator)
  @Get(':name')
  @ApiOkResponse({ description: '{ value, type, valueInfo? }' })
  get(
    @Scope() access: AccessScope,
    @Param('id', EngineIdPipe) id: string,
    @Param('name', VariableNamePipe) name: string,
    @Query() query: VariableScopeQueryDto,
  ): Promise<TypedVariable> {
    return this.variables.get(access, this.scope(id, query), name);
  }

  @Roles(Role.Approver, Role.Operator)
  @Put(':name')
  @ApiOperation({ summary: 'Set a variable: plain JSON, or typed with `type` (range-checked)' })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  put(
    @Scope() access: AccessScope,
    @Param('id', EngineIdPipe) id: string,
    @Param('name', VariableNamePipe) name: string,
    @Query() query: VariableScopeQueryDto,
    @Body() body: SetVariableDto,
  ): Promise<TypedVariable | AcceptedWrite> {
    return this.variables.set(access, this.scope(id, query), name, body);
  }

  @Roles(Role.Approver, Role.Operator)
  @Delete(':name')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  remove(
    @Scope() access: AccessScope,
    @Param('id', EngineIdPipe) id: string,
    @Param('name', VariableNamePipe) name: string,
    @Query() query: VariableScopeQueryDto,
  ): Promise<AcceptedWrite | undefined> {
    return this.variables.delete(access, this.scope(id, query), name);
  }

  @Roles(Role.Approver, Role.Operator)
  @Put(':name/data')
  // Browsers and curl send a UTF-8 file name without saying so; multer would read it as Latin-1.
  @UseInterceptors(
    FileInterceptor('data', { limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6 }, defParamCharset: 'utf8' }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_SCHEMA)
  @ApiOperation({ summary: 'Upload a File (or Bytes) variable, up to 10 MiB' })
  @ApiAcceptedResponse(ACCEPTED_WRITE_RESPONSE)
  upload(
    @Scope() access: AccessScope,
    @Param('id', EngineIdPipe) id: string,
    @Param('name', VariableNamePipe) name: string,
    @Query() query: VariableScopeQueryDto,
    @Body() body: UploadVariableDto,
    @UploadedFile() file: Express.Multer.File | undefined,
  ): Promise<TypedVariable | AcceptedWrite> {
    return this.variables.upload(access, this.scope(id, query), name, body.valueType ?? 'File', toBinary(file));
  }

  @Roles(Role.Requester, Role.Approver, Role.Operator)
  @Get(':name/data')
  @ApiOperation({ summary: 'Download a File or Bytes variable as it was stored' })
  async download(
    @Scope() access: AccessScope,
    @Param('id', EngineIdPipe) id: string,
    @Param('name', VariableNamePipe) name: string,
    @Query() query: VariableScopeQueryDto,
  ): Promise<StreamableFile> {
    return toDownload(await this.variables.download(access, this.scope(id, query), name));
  }
}

@ApiTags('variables')
@Controller('process-instances/:id/variables')
export class ProcessInstanceVariablesController extends VariablesRoutes {
  // Declared so Nest reads this controller's own constructor parameter types for injection.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(variables: VariablesService) {
    super(variables);
  }

  protected scope(id: string): VariableScope {
    return { kind: 'process-instance', id };
  }
}

@ApiTags('variables')
@Controller('tasks/:id/variables')
export class TaskVariablesController extends VariablesRoutes {
  // Declared so Nest reads this controller's own constructor parameter types for injection.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(variables: VariablesService) {
    super(variables);
  }

  protected scope(id: string, query: VariableScopeQueryDto): VariableScope {
    return { kind: query.local ? 'task-local' : 'task', id };
  }
}
