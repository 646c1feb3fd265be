import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AuditLogRecord } from './audit-log.entity.js';

export class AuditEntryView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'When the request arrived' }) at!: Date;
  @ApiProperty({ description: 'X-Request-Id of the request (also in its problem+json)' }) requestId!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Stable id of the caller at the identity provider' }) actorLocalId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) actorCamundaId!: string | null;
  @ApiPropertyOptional({ enum: ['user', 'service'], nullable: true }) actorKind!: 'user' | 'service' | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "X-Workspace, or the caller's only workspace" }) workspace!: string | null;
  @ApiProperty({ example: 'POST /tasks/:id/complete' }) action!: string;
  @ApiProperty({ example: { id: '1dcaaa53-e588-11f1-9eb2-02fc00000001' }, description: 'The route parameters' }) resourceIds!: Record<string, string>;
  @ApiProperty({ example: 204, description: 'HTTP status answered; 499 when the caller went away before the answer (the command may still have run)' })
  outcome!: number;

  static of(record: AuditLogRecord): AuditEntryView {
    return Object.assign(new AuditEntryView(), record);
  }
}
