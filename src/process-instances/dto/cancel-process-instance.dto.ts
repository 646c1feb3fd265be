import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Optional } from '../../problem/optional.js';

export class CancelProcessInstanceDto {
  @ApiPropertyOptional({ example: 'Duplicate ticket', description: 'Kept in the engine history as the delete reason' })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  reason?: string;
}
