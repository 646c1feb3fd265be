import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

export class VariableScopeQueryDto {
  @ApiPropertyOptional({ description: "true: the task's local scope; default: every variable the task sees" })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  local?: boolean;
}
