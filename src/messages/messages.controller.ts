import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CorrelationResult } from '../camunda/camunda.models.js';
import { CorrelateMessageDto, ThrowSignalDto } from './dto/correlate-message.dto.js';
import { MessagesService } from './messages.service.js';

@ApiTags('messages')
@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post('messages')
  @HttpCode(200)
  @ApiOperation({ summary: 'Correlate a message: 404 when nothing waits for it, 409 when several do and `all` is not set' })
  @ApiOkResponse({ description: '{ correlations: [{ resultType, processInstanceId }] }' })
  correlate(@Body() body: CorrelateMessageDto): Promise<{ correlations: CorrelationResult[] }> {
    return this.messages.correlate(body);
  }

  @Post('signals')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ summary: 'Throw a signal to every instance and definition that catches it' })
  async signal(@Body() body: ThrowSignalDto): Promise<void> {
    await this.messages.signal(body);
  }
}
