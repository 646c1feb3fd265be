import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class CancelProcessInstanceDto {
  @ApiPropertyOptional({ example: 'Duplicate ticket', description: 'Kept in the engine history as the delete reason' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  reason?: string;
}
