import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CorrelationResult } from '../camunda/camunda.models.js';
import type { AcceptedWrite } from '../commands/accepted-write.js';
import { CorrelateMessageDto, ThrowSignalDto } from './dto/correlate-message.dto.js';
import { MessagesService } from './messages.service.js';
import { Roles } from '../auth/access.js';
import { type AccessScope, Scope } from '../auth/access-scope.js';
import { Role } from '../identity/caller.js';

@ApiTags('messages')
@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Roles(Role.Operator)
  @Post('messages')
  @HttpCode(200)
  @ApiOperation({ summary: 'Correlate a message: 404 when nothing waits for it, 409 when several do and `all` is not set' })
  @ApiOkResponse({ description: '{ correlations: [{ resultType, processInstanceId }] }' })
  @ApiAcceptedResponse({ description: 'Correlated, but the reached instances could not be mirrored yet: `{ correlations, mirrored: false }`; do not retry' })
  correlate(@Scope() scope: AccessScope, @Body() body: CorrelateMessageDto): Promise<{ correlations: CorrelationResult[] } | AcceptedWrite> {
    return this.messages.correlate(scope, body);
  }

  @Roles(Role.Operator)
  @Post('signals')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiAcceptedResponse({ description: 'Thrown, but the mirror could not be synchronized before the answer: `{ name, mirrored: false }`; do not retry' })
  @ApiOperation({ summary: 'Throw a signal to every instance and definition that catches it' })
  signal(@Scope() scope: AccessScope, @Body() body: ThrowSignalDto): Promise<AcceptedWrite | undefined> {
    return this.messages.signal(scope, body);
  }
}
