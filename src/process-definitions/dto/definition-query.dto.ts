import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { BooleanParam } from '../../problem/boolean-param.js';
import { Optional } from '../../problem/optional.js';

export class DefinitionQueryDto {
  @ApiPropertyOptional({ example: 'ticket-approval' })
  @Optional()
  @IsString()
  @MaxLength(255)
  key?: string;

  @ApiPropertyOptional({ description: 'Only the latest version of each key (per tenant)', default: false })
  @Optional()
  @BooleanParam()
  latestOnly?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional()
  @Optional()
  @BooleanParam()
  suspended?: boolean;
}

export class SuspendDefinitionDto {
  @ApiPropertyOptional({ description: 'Also suspend (or activate) its running instances', default: false })
  @Optional()
  @BooleanParam()
  includeInstances?: boolean;
}
