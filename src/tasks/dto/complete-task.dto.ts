import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';

export class CompleteTaskDto {
  @ApiPropertyOptional({ example: { approved: true, comment: 'Looks fine' }, description: 'Plain JSON values set as process variables' })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}
