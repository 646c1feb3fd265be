import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class UploadVariableDto {
  @ApiPropertyOptional({ enum: ['File', 'Bytes'], default: 'File' })
  @IsOptional()
  @IsIn(['File', 'Bytes'])
  valueType?: 'File' | 'Bytes';
}
