import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One command made through the gateway: who, in which workspace, what on which resources, and how it ended. Never its body. */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_at', ['at', 'id'])
@Index('ix_audit_log_workspace_at', ['workspace', 'at'])
export class AuditLogRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** When the request arrived. */
  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'request_id', type: 'varchar', length: 128 })
  requestId!: string;

  @Column({ name: 'actor_local_id', type: 'varchar', length: 255, nullable: true })
  actorLocalId!: string | null;

  @Column({ name: 'actor_camunda_id', type: 'varchar', length: 64, nullable: true })
  actorCamundaId!: string | null;

  @Column({ name: 'actor_kind', type: 'varchar', length: 16, nullable: true })
  actorKind!: 'user' | 'service' | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  workspace!: string | null;

  /** Method and route pattern, e.g. `POST /tasks/:id/complete`. */
  @Column({ type: 'varchar', length: 255 })
  action!: string;

  /** The route parameters: which resources the command was about. */
  @Column({ name: 'resource_ids', type: 'jsonb' })
  resourceIds!: Record<string, string>;

  /** The HTTP status answered. */
  @Column({ type: 'int' })
  outcome!: number;
}
