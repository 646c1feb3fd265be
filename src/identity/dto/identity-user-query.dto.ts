import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IntParam } from '../../problem/int-param.js';
import { Optional } from '../../problem/optional.js';

export class IdentityUserQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Optional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @Optional()
  @IntParam(1, 1000)
  limit?: number;
}
