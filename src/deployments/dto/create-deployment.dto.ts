import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { BooleanParam } from '../../problem/boolean-param.js';
import { Optional } from '../../problem/optional.js';

export class CreateDeploymentDto {
  @ApiProperty({ example: 'ticket-approval-v2' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ example: 'workspace-7' })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ description: 'Skip resources identical to the last deployment of the same name', default: false })
  @Optional()
  @BooleanParam()
  deployChangedOnly?: boolean;
}
