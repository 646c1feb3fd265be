import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class StartProcessInstanceDto {
  @ApiProperty({ example: 'ticket-approval', description: 'Key of the process definition; its latest version is started' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(/^[A-Za-z_][\w.-]*$/, { message: 'processDefinitionKey must be a BPMN id (letters, digits, _, -, .)' })
  processDefinitionKey!: string;

  @ApiPropertyOptional({ example: 'TICKET-1042' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  businessKey?: string;

  @ApiPropertyOptional({
    example: { title: 'Laptop broken', amount: 1200, urgent: true, tags: ['hardware'] },
    description: 'Plain JSON values; the gateway picks the Camunda type (String, Boolean, Integer, Long, Double, Json, Null)',
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}
