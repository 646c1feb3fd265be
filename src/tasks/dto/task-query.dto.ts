import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { TaskState } from '../../mirror/task.entity.js';

export class TaskQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  processInstanceId?: string;

  @ApiPropertyOptional({ example: 'demo' }) @IsOptional() @IsString() @MaxLength(255)
  assignee?: string;

  @ApiPropertyOptional({ example: 'managers' }) @IsOptional() @IsString() @MaxLength(255)
  candidateGroup?: string;

  @ApiPropertyOptional({ enum: TaskState, description: 'Default: open tasks (CREATED and ASSIGNED)' })
  @IsOptional() @IsEnum(TaskState)
  state?: TaskState;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}
