import { ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsIn, IsObject } from 'class-validator';
import { VARIABLE_TYPES } from '../../camunda/variable-codec.js';
import { Optional } from '../../problem/optional.js';

const JSON_TYPES = VARIABLE_TYPES.filter((type) => type !== 'File');

export class SetVariableDto {
  @ApiPropertyOptional({ description: 'The value: any JSON. Without `type` the gateway infers it.', example: 1200 })
  @Allow()
  value?: unknown;

  @ApiPropertyOptional({ enum: JSON_TYPES, description: 'Camunda type; Files go to the .../data endpoint', example: 'Long' })
  @Optional()
  @IsIn(JSON_TYPES)
  type?: string;

  @ApiPropertyOptional({ description: 'For Object: objectTypeName and serializationDataFormat', example: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' } })
  @Optional()
  @IsObject()
  valueInfo?: Record<string, unknown>;
}
