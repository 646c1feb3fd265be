import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Roles } from '../auth/access.js';
import { Scope, type AccessScope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';
import type { Page } from '../pagination/keyset-page.js';
import { AuditEntryView } from './audit-entry.view.js';
import { AuditLog } from './audit-log.js';
import { auditVisibility } from './audit-visibility.js';
import { AuditQueryDto } from './dto/audit-query.dto.js';

const DEFAULT_LIMIT = 100;

@ApiTags('audit')
@ApiExtraModels(AuditEntryView)
@Controller('audit')
export class AuditController {
  constructor(private readonly auditLog: AuditLog) {}

  @Get()
  @Roles(Role.Operator, Role.Admin)
  @ApiOperation({ summary: 'Commands made through the gateway, newest first: an admin without X-Workspace sees all, operators their workspaces' })
  @ApiOkResponse({
    schema: { properties: { items: { type: 'array', items: { $ref: getSchemaPath(AuditEntryView) } }, nextCursor: { type: 'string', nullable: true } } },
  })
  async list(@Query() query: AuditQueryDto, @Scope() scope: AccessScope): Promise<Page<AuditEntryView>> {
    const page = await this.auditLog.page({ ...query, limit: query.limit ?? DEFAULT_LIMIT }, auditVisibility(scope));
    return { items: page.items.map(AuditEntryView.of), nextCursor: page.nextCursor };
  }
}
