import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import { Optional } from '../../problem/optional.js';

export class CompleteTaskDto {
  @ApiPropertyOptional({ example: { approved: true, comment: 'Looks fine' }, description: 'Plain JSON values set as process variables' })
  @Optional()
  @IsObject()
  variables?: Record<string, unknown>;
}
