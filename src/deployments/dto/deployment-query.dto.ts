import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { BooleanParam } from '../../problem/boolean-param.js';

export class DeploymentQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255)
  name?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;

  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}

export class DeleteDeploymentQueryDto {
  @ApiPropertyOptional({ description: 'Also delete running and historic instances of its definitions', default: false })
  @IsOptional()
  @BooleanParam()
  cascade?: boolean;
}
