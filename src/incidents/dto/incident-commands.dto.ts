import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsInt, IsNotEmpty, IsString, Max, MaxLength, Min } from 'class-validator';
import { IncidentState } from '../../mirror/incident.entity.js';
import { IntParam } from '../../problem/int-param.js';
import { Optional } from '../../problem/optional.js';

export class IncidentQueryDto {
  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @MaxLength(64)
  processInstanceId?: string;

  @ApiPropertyOptional({ example: 'failedExternalTask' })
  @Optional()
  @IsString()
  @MaxLength(255)
  incidentType?: string;

  @ApiPropertyOptional({
    enum: IncidentState,
    default: IncidentState.Open,
    description: 'OPEN; or RESOLVED, DELETED: incidents that ended (an ended instance has only these)',
  })
  @Optional()
  @IsEnum(IncidentState)
  state?: IncidentState;

  @ApiPropertyOptional({ default: 0 })
  @Optional()
  @IntParam(0, 2_147_483_647)
  offset?: number;

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @Optional()
  @IntParam(1, 1000)
  limit?: number;
}

export class AnnotateIncidentDto {
  @ApiProperty({ example: 'Waiting for the payment provider, retry tomorrow' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  annotation!: string;
}

export class SetRetriesDto {
  @ApiProperty({ example: 3, minimum: 0, maximum: 1000 })
  @IsInt()
  @Min(0)
  @Max(1000)
  retries!: number;
}
