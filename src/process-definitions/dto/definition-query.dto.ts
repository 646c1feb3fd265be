import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { BooleanParam } from '../../problem/boolean-param.js';

export class DefinitionQueryDto {
  @ApiPropertyOptional({ example: 'ticket-approval' }) @IsOptional() @IsString() @MaxLength(255)
  key?: string;

  @ApiPropertyOptional({ description: 'Only the latest version of each key (per tenant)', default: false })
  @IsOptional() @BooleanParam()
  latestOnly?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional() @IsOptional() @BooleanParam()
  suspended?: boolean;
}

export class SuspendDefinitionDto {
  @ApiPropertyOptional({ description: 'Also suspend (or activate) its running instances', default: false })
  @IsOptional()
  @BooleanParam()
  includeInstances?: boolean;
}
