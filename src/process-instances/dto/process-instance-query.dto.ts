import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsString, MaxLength } from 'class-validator';
import { InstanceState } from '../../mirror/process-instance.entity.js';
import { IntParam } from '../../problem/int-param.js';
import { DateParam } from '../../problem/date-param.js';
import { Optional } from '../../problem/optional.js';

export class ProcessInstanceQueryDto {
  @ApiPropertyOptional({ example: 'ticket-approval' })
  @Optional()
  @IsString()
  @MaxLength(255)
  definitionKey?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(255)
  businessKey?: string;

  @ApiPropertyOptional({ enum: InstanceState })
  @Optional()
  @IsEnum(InstanceState)
  state?: InstanceState;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' })
  @Optional()
  @DateParam()
  startedAfter?: Date;

  @ApiPropertyOptional()
  @Optional()
  @DateParam()
  startedBefore?: Date;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc', description: 'By start time' })
  @Optional()
  @IsIn(['asc', 'desc'])
  sortOrder?: 'asc' | 'desc';

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
