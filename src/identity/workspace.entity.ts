import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A workspace as tokens name it, and the Camunda tenant it maps to. */
@Entity({ name: 'workspaces' })
export class WorkspaceRecord {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Index('uq_workspaces_tenant_id', { unique: true })
  @Column({ name: 'tenant_id', type: 'varchar', length: 64 })
  tenantId!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** When its tenant, the technical user's membership and the bundled models were in place; null until then. */
  @Column({ name: 'provisioned_at', type: 'timestamptz', nullable: true })
  provisionedAt!: Date | null;
}
