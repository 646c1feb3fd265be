import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { BooleanParam } from '../../problem/boolean-param.js';

export class CreateDeploymentDto {
  @ApiProperty({ example: 'ticket-approval-v2' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ example: 'workspace-7' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ description: 'Skip resources identical to the last deployment of the same name', default: false })
  @IsOptional()
  @BooleanParam()
  deployChangedOnly?: boolean;
}
