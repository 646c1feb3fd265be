import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'process_definitions' })
@Index('ix_process_definitions_key_version', ['key', 'version'])
export class ProcessDefinitionRecord {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'version_tag', type: 'varchar', length: 255, nullable: true })
  versionTag!: string | null;

  @Column({ name: 'deployment_id', type: 'varchar', length: 64 })
  deploymentId!: string;

  @Column({ name: 'resource_name', type: 'varchar', length: 4000 })
  resourceName!: string;

  @Column({ type: 'boolean' })
  suspended!: boolean;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64, nullable: true })
  tenantId!: string | null;

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}
