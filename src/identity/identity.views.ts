import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { IdentityUserRecord } from './identity-user.entity.js';
import type { WorkspaceRecord } from './workspace.entity.js';

export class IdentityUserView {
  @ApiProperty() id!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty() localId!: string;
  @ApiProperty({ example: 'gwmary3f1c0a9b2d4e6f80' }) camundaUserId!: string;
  @ApiProperty({ enum: ['user', 'service'] }) kind!: 'user' | 'service';
  @ApiPropertyOptional({ type: String, nullable: true }) username!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) name!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) email!: string | null;
  @ApiProperty() firstSeenAt!: Date;
  @ApiProperty() lastSeenAt!: Date;
  @ApiPropertyOptional({ type: Date, nullable: true }) provisionedAt!: Date | null;

  static of(record: IdentityUserRecord): IdentityUserView {
    return Object.assign(new IdentityUserView(), record);
  }
}

export class WorkspaceView {
  @ApiProperty({ example: 'acme' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'acme' }) tenantId!: string;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ type: Date, nullable: true, description: 'Null while its tenant or models are not in place yet' }) provisionedAt!: Date | null;

  static of(record: WorkspaceRecord): WorkspaceView {
    return Object.assign(new WorkspaceView(), record);
  }
}

export class ProvisionedUserView {
  @ApiProperty() localId!: string;
  @ApiProperty({ enum: ['provisioned', 'failed'] }) outcome!: 'provisioned' | 'failed';
  @ApiPropertyOptional({ type: String, nullable: true }) camundaUserId!: string | null;
  @ApiProperty({ type: [String], description: 'Workspaces the grants reach' }) workspaces!: string[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Why provisioning failed' }) error!: string | null;
}
