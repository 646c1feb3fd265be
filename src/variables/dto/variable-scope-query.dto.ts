import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { BooleanParam } from '../../problem/boolean-param.js';

export class VariableScopeQueryDto {
  @ApiPropertyOptional({ description: "true: the task's local scope; default: every variable the task sees" })
  @IsOptional()
  @BooleanParam()
  local?: boolean;
}
