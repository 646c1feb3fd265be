import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

export class DefinitionQueryDto {
  @ApiPropertyOptional({ example: 'ticket-approval' }) @IsOptional() @IsString() @MaxLength(255)
  key?: string;

  @ApiPropertyOptional({ description: 'Only the latest version of each key', default: false })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  latestOnly?: boolean;
}
