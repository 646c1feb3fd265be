import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { BooleanParam } from '../../problem/boolean-param.js';
import { IntParam } from '../../problem/int-param.js';
import { Optional } from '../../problem/optional.js';

export class DeploymentQueryDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ default: 0 })
  @Optional()
  @IntParam(0, 2_147_483_647)
  offset?: number;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @Optional()
  @IntParam(1, 500)
  limit?: number;
}

export class DeleteDeploymentQueryDto {
  @ApiPropertyOptional({ description: 'Also delete running and historic instances of its definitions', default: false })
  @Optional()
  @BooleanParam()
  cascade?: boolean;
}
