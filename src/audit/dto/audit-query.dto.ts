import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { DateParam } from '../../problem/date-param.js';
import { IntParam } from '../../problem/int-param.js';
import { Optional } from '../../problem/optional.js';

export class AuditQueryDto {
  @ApiPropertyOptional({ example: 'acme' })
  @Optional()
  @IsString()
  @MaxLength(64)
  workspace?: string;

  @ApiPropertyOptional({ description: "The actor's local id (token subject) or Camunda user id" })
  @Optional()
  @IsString()
  @MaxLength(255)
  actor?: string;

  @ApiPropertyOptional({ example: 'POST /tasks/:id/complete', description: 'Method and route pattern' })
  @Optional()
  @IsString()
  @MaxLength(255)
  action?: string;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z', description: 'At or after' })
  @Optional()
  @DateParam()
  since?: Date;

  @ApiPropertyOptional({ description: 'Before' })
  @Optional()
  @DateParam()
  until?: Date;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Optional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @Optional()
  @IntParam(1, 1000)
  limit?: number;
}
