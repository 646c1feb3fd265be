import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

export class CorrelateMessageDto {
  @ApiProperty({ example: 'ticket-updated' })
  @IsString() @IsNotEmpty() @MaxLength(255)
  messageName!: string;

  @ApiPropertyOptional({ example: 'TICKET-1042' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(255)
  businessKey?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64)
  processInstanceId?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ example: { ticketId: 1042 }, description: 'Process variables the waiting instance must have (plain or typed values)' })
  @IsOptional() @IsObject()
  correlationKeys?: Record<string, unknown>;

  @ApiPropertyOptional({ example: { comment: 'customer replied' }, description: 'Variables set on the instance the message reaches' })
  @IsOptional() @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Every match instead of exactly one (none is then no error)', default: false })
  @IsOptional() @IsBoolean()
  all?: boolean;
}

export class ThrowSignalDto {
  @ApiProperty({ example: 'maintenance-window' })
  @IsString() @IsNotEmpty() @MaxLength(255)
  name!: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({ example: { window: '02:00-04:00' } })
  @IsOptional() @IsObject()
  variables?: Record<string, unknown>;
}
