import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ProcessDefinitionRecord } from '../mirror/process-definition.entity.js';

export class ProcessDefinitionView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'ticket-approval' }) key!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) name!: string | null;
  @ApiProperty() version!: number;
  @ApiPropertyOptional({ type: String, nullable: true }) versionTag!: string | null;
  @ApiProperty() deploymentId!: string;
  @ApiProperty() resourceName!: string;
  @ApiProperty() suspended!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) tenantId!: string | null;
  @ApiProperty() lastSyncedAt!: Date;

  static of(record: ProcessDefinitionRecord): ProcessDefinitionView {
    return Object.assign(new ProcessDefinitionView(), record);
  }
}
