import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class IncidentQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64)
  processInstanceId?: string;

  @ApiPropertyOptional({ example: 'failedExternalTask' }) @IsOptional() @IsString() @MaxLength(255)
  incidentType?: string;

  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0)
  offset?: number;

  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}

export class AnnotateIncidentDto {
  @ApiProperty({ example: 'Waiting for the payment provider, retry tomorrow' })
  @IsString() @IsNotEmpty() @MaxLength(4000)
  annotation!: string;
}

export class SetRetriesDto {
  @ApiProperty({ example: 3, minimum: 0, maximum: 1000 })
  @IsInt() @Min(0) @Max(1000)
  retries!: number;
}
