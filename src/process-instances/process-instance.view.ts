import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InstanceState, type ProcessInstanceRecord } from '../mirror/process-instance.entity.js';
import { restored } from '../mirror/unstorable-text.js';

export class ProcessInstanceView {
  @ApiProperty() id!: string;
  @ApiProperty() definitionId!: string;
  @ApiProperty({ example: 'ticket-approval' }) definitionKey!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) businessKey!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) tenantId!: string | null;
  @ApiProperty({ enum: InstanceState }) state!: InstanceState;
  @ApiProperty() startedAt!: Date;
  @ApiPropertyOptional({ type: Date, nullable: true }) endedAt!: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) deleteReason!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Camunda user id of whoever started it, when known' }) startedBy!: string | null;
  @ApiProperty({ description: 'When the gateway last compared this row with the engine' }) lastSyncedAt!: Date;

  static of(record: ProcessInstanceRecord): ProcessInstanceView {
    const { lastEventSequence: _sequence, snapshotReadAt: _readAt, escapedFields: _storage, ...view } = restored(record);
    return Object.assign(new ProcessInstanceView(), view);
  }
}
