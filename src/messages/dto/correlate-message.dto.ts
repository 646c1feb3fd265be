import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsObject, IsString, MaxLength } from 'class-validator';
import { Optional } from '../../problem/optional.js';

export class CorrelateMessageDto {
  @ApiProperty({ example: 'ticket-updated' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  messageName!: string;

  @ApiPropertyOptional({ example: 'TICKET-1042' })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  businessKey?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  processInstanceId?: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ example: { ticketId: 1042 }, description: 'Process variables the waiting instance must have (plain or typed values)' })
  @Optional()
  @IsObject()
  correlationKeys?: Record<string, unknown>;

  @ApiPropertyOptional({ example: { comment: 'customer replied' }, description: 'Variables set on the instance the message reaches' })
  @Optional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Every match instead of exactly one (none is then no error)', default: false })
  @Optional()
  @IsBoolean()
  all?: boolean;
}

export class ThrowSignalDto {
  @ApiProperty({ example: 'maintenance-window' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional()
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ example: { window: '02:00-04:00' } })
  @Optional()
  @IsObject()
  variables?: Record<string, unknown>;
}
