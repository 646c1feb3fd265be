import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy, IsIn, IsObject } from 'class-validator';
import { VARIABLE_TYPES } from '../../camunda/variable-codec.js';
import { Optional } from '../../problem/optional.js';

const JSON_TYPES = VARIABLE_TYPES.filter((type) => type !== 'File');

export class SetVariableDto {
  @ApiProperty({ description: 'The value: any JSON (null included). Without `type` the gateway infers it.', example: 1200 })
  // Required as a key, not as a non-null value: an empty body must not set the variable to Null.
  @ValidateBy({
    name: 'isPresent',
    validator: {
      validate: (_value, args) => Object.prototype.hasOwnProperty.call(args?.object ?? {}, 'value'),
      defaultMessage: () => 'value is required (null is a value)',
    },
  })
  value?: unknown;

  @ApiPropertyOptional({ enum: JSON_TYPES, description: 'Camunda type; Files go to the .../data endpoint', example: 'Long' })
  @Optional()
  @IsIn(JSON_TYPES)
  type?: string;

  @ApiPropertyOptional({
    description: 'For Object: objectTypeName and serializationDataFormat',
    example: { objectTypeName: 'java.util.HashMap', serializationDataFormat: 'application/json' },
  })
  @Optional()
  @IsObject()
  valueInfo?: Record<string, unknown>;
}
