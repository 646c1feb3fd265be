import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsObject, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { DateParam } from '../../problem/date-param.js';
import { Optional } from '../../problem/optional.js';

export class ClaimTaskDto {
  @ApiPropertyOptional({
    example: 'demo',
    description: 'Camunda user id that takes the task; the caller by default. Naming someone else needs the operator role.',
  })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  userId?: string;
}

export class AssignTaskDto {
  @ApiProperty({ type: String, nullable: true, example: 'demo', description: 'New assignee; null clears it' })
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  userId!: string | null;
}

export class DelegateTaskDto {
  @ApiProperty({ example: 'john', description: 'Who resolves the task for its owner' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  userId!: string;
}

export class ResolveTaskDto {
  @ApiPropertyOptional({ example: { checked: true } })
  @Optional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class UpdateTaskDto {
  @ApiPropertyOptional({ type: Date, nullable: true, example: '2026-12-01T17:00:00Z', description: 'null clears it' })
  @Optional()
  @ValidateIf((_, value) => value !== null)
  @DateParam()
  dueAt?: Date | null;

  @ApiPropertyOptional({ type: Date, nullable: true })
  @Optional()
  @ValidateIf((_, value) => value !== null)
  @DateParam()
  followUpAt?: Date | null;

  @ApiPropertyOptional({ example: 70, minimum: 0, maximum: 2147483647 })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  priority?: number;
}

export class AddCommentDto {
  @ApiProperty({ example: 'Checked with the requester' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  message!: string;
}
