import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { GatewayError, GatewayErrorCode } from '../problem/gateway-error.js';
import { IntParam } from '../problem/int-param.js';
import { Optional } from '../problem/optional.js';
import { OutboxDeadLetters, type DeadLetterView } from './outbox-dead-letters.js';
import { EngineAdmin } from '../auth/access.js';

export class DeadLetterQueryDto {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @Optional()
  @IntParam(1, 1000)
  limit?: number;
}

// eslint-disable-next-line no-useless-assignment -- used in @Param below; the rule does not see decorator arguments
const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new GatewayError(GatewayErrorCode.ValidationFailed, 'id is not a UUID', [{ field: 'id', messages: ['id must be a UUID'] }]),
});

@ApiTags('sync')
@Controller('outbox/dead-letters')
export class DeadLettersController {
  constructor(private readonly deadLetters: OutboxDeadLetters) {}

  @EngineAdmin()
  @Get()
  @ApiOperation({ summary: 'Events RabbitMQ refused OUTBOX_MAX_ATTEMPTS times, oldest first, with the last error' })
  async list(@Query() query: DeadLetterQueryDto): Promise<{ items: DeadLetterView[] }> {
    return { items: await this.deadLetters.list(query.limit ?? 100) };
  }

  @EngineAdmin()
  @Post('replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put every dead letter back into the outbox; the relay publishes them again' })
  @ApiOkResponse({ description: '`{replayed}`: how many were re-queued' })
  async replayAll(): Promise<{ replayed: number }> {
    return { replayed: await this.deadLetters.replayAll() };
  }

  @EngineAdmin()
  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put one dead letter back into the outbox; 404 if there is none with that id' })
  async replay(@Param('id', uuidPipe) id: string): Promise<{ replayed: number }> {
    if (!(await this.deadLetters.replay(id))) throw new GatewayError(GatewayErrorCode.ResourceNotFound, `No dead letter ${id}`);
    return { replayed: 1 };
  }
}
