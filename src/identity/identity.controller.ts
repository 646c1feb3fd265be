import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { EngineAdmin } from '../auth/access.js';
import type { Page } from '../pagination/keyset-page.js';
import { EngineIdPipe } from '../problem/engine-id.pipe.js';
import { IdentityAdminService } from './identity-admin.service.js';
import { IdentityUserView, ProvisionedUserView, WorkspaceView } from './identity.views.js';
import { IdentityUserQueryDto } from './dto/identity-user-query.dto.js';
import { ProvisionUsersDto, RenameWorkspaceDto } from './dto/provision-users.dto.js';

@ApiTags('identity')
@ApiExtraModels(IdentityUserView, ProvisionedUserView)
@EngineAdmin()
@Controller('identity')
export class IdentityController {
  constructor(private readonly admin: IdentityAdminService) {}

  @Get('users')
  @ApiOperation({ summary: 'Callers the gateway has seen or provisioned, with their Camunda user ids, oldest first' })
  @ApiOkResponse({
    schema: { properties: { items: { type: 'array', items: { $ref: getSchemaPath(IdentityUserView) } }, nextCursor: { type: 'string', nullable: true } } },
  })
  listUsers(@Query() query: IdentityUserQueryDto): Promise<Page<IdentityUserView>> {
    return this.admin.listUsers(query);
  }

  @Post('users')
  @HttpCode(200)
  @ApiOperation({ summary: 'Provision users of the configured AUTH_ISSUER into Camunda ahead of their first request; one result per user' })
  @ApiOkResponse({ schema: { properties: { results: { type: 'array', items: { $ref: getSchemaPath(ProvisionedUserView) } } } } })
  async provisionUsers(@Body() body: ProvisionUsersDto): Promise<{ results: ProvisionedUserView[] }> {
    return { results: await this.admin.provisionUsers(body.users) };
  }

  @Get('workspaces')
  @ApiOperation({ summary: 'Workspaces and the Camunda tenants they map to' })
  @ApiOkResponse({ type: [WorkspaceView] })
  listWorkspaces(): Promise<WorkspaceView[]> {
    return this.admin.listWorkspaces();
  }

  @Put('workspaces/:id')
  @ApiOperation({ summary: 'Create a workspace (tenant, technical user membership, bundled models) or rename it' })
  @ApiOkResponse({ type: WorkspaceView })
  renameWorkspace(@Param('id', EngineIdPipe) id: string, @Body() body: RenameWorkspaceDto): Promise<WorkspaceView> {
    return this.admin.renameWorkspace(id, body.name);
  }
}
