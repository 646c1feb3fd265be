import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsObject, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { Optional } from '../../problem/optional.js';

export class StartProcessInstanceDto {
  @ApiPropertyOptional({
    example: 'ticket-approval',
    description: 'Starts the latest version of this key (of `tenantId` if given). Give this or processDefinitionId.',
  })
  @ValidateIf((body: StartProcessInstanceDto) => body.processDefinitionId === undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(/^[A-Za-z_][\w.-]*$/, { message: 'processDefinitionKey must be a BPMN id (letters, digits, _, -, .)' })
  processDefinitionKey?: string;

  @ApiPropertyOptional({ example: 'ticket-approval:3:7c1e…', description: 'Starts exactly this definition version' })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  processDefinitionId?: string;

  @ApiPropertyOptional({ example: 'TICKET-1042' })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  businessKey?: string;

  @ApiPropertyOptional({ example: 'workspace-7' })
  @Optional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  tenantId?: string;

  @ApiPropertyOptional({
    example: { title: 'Laptop broken', amount: 1200, urgent: true, due: { value: '2026-12-01T17:00:00+01:00', type: 'Date' } },
    description: 'Plain JSON values (type inferred) or {value, type, valueInfo?}',
  })
  @Optional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Answer with the instance variables after the start (typed)', default: false })
  @Optional()
  @IsBoolean()
  withVariablesInReturn?: boolean;
}
