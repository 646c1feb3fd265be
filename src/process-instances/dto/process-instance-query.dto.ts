import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { InstanceState } from '../../mirror/process-instance.entity.js';

export class ProcessInstanceQueryDto {
  @ApiPropertyOptional({ example: 'ticket-approval' }) @IsOptional() @IsString() @MaxLength(255)
  definitionKey?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255)
  businessKey?: string;

  @ApiPropertyOptional({ enum: InstanceState }) @IsOptional() @IsEnum(InstanceState)
  state?: InstanceState;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' }) @IsOptional() @Type(() => Date) @IsDate()
  startedAfter?: Date;

  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate()
  startedBefore?: Date;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc', description: 'By start time' }) @IsOptional() @IsIn(['asc', 'desc'])
  sortOrder?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(2000)
  cursor?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}
