import { ApiPropertyOptional } from '@nestjs/swagger';
import { BooleanParam } from '../../problem/boolean-param.js';
import { Optional } from '../../problem/optional.js';

export class VariableScopeQueryDto {
  @ApiPropertyOptional({ description: "true: the task's local scope; default: every variable the task sees" })
  @Optional()
  @BooleanParam()
  local?: boolean;
}
