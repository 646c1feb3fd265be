import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Role } from '../identity/caller.js';
import { Roles } from './access.js';
import { type AccessScope, Scope } from './access-scope.js';

export interface CallerView {
  localId: string;
  kind: 'user' | 'service';
  username: string | null;
  camundaUserId: string;
  admin: boolean;
  workspaces: { workspaceId: string; tenantId: string; roles: Role[]; camundaGroupIds: string[] }[];
}

@ApiTags('identity')
@Controller('me')
export class MeController {
  @Roles(Role.Requester, Role.Approver, Role.Operator)
  @Get()
  @ApiOperation({ summary: 'Who the token says you are, and what that maps to in Camunda and the workspaces' })
  @ApiOkResponse({ description: '{ localId, kind, username, camundaUserId, admin, workspaces: [{ workspaceId, tenantId, roles, camundaGroupIds }] }' })
  me(@Scope() scope: AccessScope): CallerView {
    const { identity, camundaUserId, admin, workspaces } = scope.caller;
    return { localId: identity.localId, kind: identity.kind, username: identity.username, camundaUserId, admin, workspaces };
  }
}
