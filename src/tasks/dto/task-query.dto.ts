import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { BooleanParam } from '../../problem/boolean-param.js';
import { IsEnum, IsIn, IsString, MaxLength } from 'class-validator';
import { TaskState } from '../../mirror/task.entity.js';
import { IntParam } from '../../problem/int-param.js';
import { DateParam } from '../../problem/date-param.js';
import { Optional } from '../../problem/optional.js';

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;
export const TASK_SORT_FIELDS = ['created', 'due', 'priority', 'name'] as const;

export class TaskQueryDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(64)
  processInstanceId?: string;

  @ApiPropertyOptional({ example: 'ticket-approval' })
  @Optional()
  @IsString()
  @MaxLength(255)
  processDefinitionKey?: string;

  @ApiPropertyOptional({ example: 'TICKET-1042' })
  @Optional()
  @IsString()
  @MaxLength(255)
  businessKey?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ example: 'demo' })
  @Optional()
  @IsString()
  @MaxLength(255)
  assignee?: string;

  @ApiPropertyOptional({ description: 'Only tasks nobody holds' })
  @Optional()
  @BooleanParam()
  unassigned?: boolean;

  @ApiPropertyOptional({ description: 'Tasks the user may claim: named directly, or through a group the user is in' })
  @Optional()
  @IsString()
  @MaxLength(255)
  candidateUser?: string;

  @ApiPropertyOptional({ example: 'managers' })
  @Optional()
  @IsString()
  @MaxLength(255)
  candidateGroup?: string;

  @ApiPropertyOptional({ description: 'Comma-separated; tasks offered to any of them', example: 'managers,support' })
  @Optional()
  @Transform(toList)
  @IsString({ each: true })
  @MaxLength(255, { each: true })
  candidateGroups?: string[];

  @ApiPropertyOptional({ enum: TaskState, description: 'Default: open tasks (CREATED and ASSIGNED)' })
  @Optional()
  @IsEnum(TaskState)
  state?: TaskState;

  @ApiPropertyOptional({ description: 'Only tasks whose instance is (true) or is not (false) suspended' })
  @Optional()
  @BooleanParam()
  suspended?: boolean;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the task name', example: 'approval' })
  @Optional()
  @IsString()
  @MaxLength(255)
  nameLike?: string;

  @ApiPropertyOptional()
  @Optional()
  @IntParam(0, 2_147_483_647)
  priority?: number;

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' })
  @Optional()
  @DateParam()
  createdAfter?: Date;

  @ApiPropertyOptional()
  @Optional()
  @DateParam()
  createdBefore?: Date;

  @ApiPropertyOptional()
  @Optional()
  @DateParam()
  dueAfter?: Date;

  @ApiPropertyOptional()
  @Optional()
  @DateParam()
  dueBefore?: Date;

  @ApiPropertyOptional({ enum: TASK_SORT_FIELDS, default: 'created' })
  @Optional()
  @IsIn(TASK_SORT_FIELDS)
  sortBy?: (typeof TASK_SORT_FIELDS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
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
