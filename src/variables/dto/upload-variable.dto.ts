import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Optional } from '../../problem/optional.js';

export class UploadVariableDto {
  @ApiPropertyOptional({ enum: ['File', 'Bytes'], default: 'File' })
  @Optional()
  @IsIn(['File', 'Bytes'])
  valueType?: 'File' | 'Bytes';
}
