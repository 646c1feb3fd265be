import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { BooleanParam } from '../../problem/boolean-param.js';
import { IsDate, IsEnum, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { TaskState } from '../../mirror/task.entity.js';

const toList = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value);
export const TASK_SORT_FIELDS = ['created', 'due', 'priority', 'name'] as const;

export class TaskQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  processInstanceId?: string;

  @ApiPropertyOptional({ example: 'ticket-approval' }) @IsOptional() @IsString() @MaxLength(255)
  processDefinitionKey?: string;

  @ApiPropertyOptional({ example: 'TICKET-1042' }) @IsOptional() @IsString() @MaxLength(255)
  businessKey?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ example: 'demo' }) @IsOptional() @IsString() @MaxLength(255)
  assignee?: string;

  @ApiPropertyOptional({ description: 'Only tasks nobody holds' }) @IsOptional() @BooleanParam()
  unassigned?: boolean;

  @ApiPropertyOptional({ description: 'Tasks the user may claim: named directly, or through a group the user is in' })
  @IsOptional() @IsString() @MaxLength(255)
  candidateUser?: string;

  @ApiPropertyOptional({ example: 'managers' }) @IsOptional() @IsString() @MaxLength(255)
  candidateGroup?: string;

  @ApiPropertyOptional({ description: 'Comma-separated; tasks offered to any of them', example: 'managers,support' })
  @IsOptional() @Transform(toList) @IsString({ each: true }) @MaxLength(255, { each: true })
  candidateGroups?: string[];

  @ApiPropertyOptional({ enum: TaskState, description: 'Default: open tasks (CREATED and ASSIGNED)' })
  @IsOptional() @IsEnum(TaskState)
  state?: TaskState;

  @ApiPropertyOptional({ description: 'Only tasks whose instance is (true) or is not (false) suspended' }) @IsOptional() @BooleanParam()
  suspended?: boolean;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the task name', example: 'approval' })
  @IsOptional() @IsString() @MaxLength(255)
  nameLike?: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  priority?: number;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' }) @IsOptional() @Type(() => Date) @IsDate()
  createdAfter?: Date;

  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate()
  createdBefore?: Date;

  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate()
  dueAfter?: Date;

  @ApiPropertyOptional() @IsOptional() @Type(() => Date) @IsDate()
  dueBefore?: Date;

  @ApiPropertyOptional({ enum: TASK_SORT_FIELDS, default: 'created' }) @IsOptional() @IsIn(TASK_SORT_FIELDS)
  sortBy?: (typeof TASK_SORT_FIELDS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' }) @IsOptional() @IsIn(['asc', 'desc'])
  sortOrder?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(2000)
  cursor?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}
