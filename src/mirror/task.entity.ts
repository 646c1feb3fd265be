import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum TaskState {
  Created = 'CREATED',
  Assigned = 'ASSIGNED',
  Completed = 'COMPLETED',
  Deleted = 'DELETED',
}

@Entity({ name: 'tasks' })
@Index('ix_tasks_process_instance', ['processInstanceId'])
@Index('ix_tasks_assignee', ['assignee'])
@Index('ix_tasks_state', ['state'])
@Index('ix_tasks_tenant_by_created', ['tenantId', 'createdAt', 'id'])
@Index('ix_tasks_tenant_by_priority', ['tenantId', 'priority', 'id'])
@Index('ix_tasks_definition_key', ['processDefinitionKey'])
@Index('ix_tasks_business_key', ['businessKey'])
@Index('ix_tasks_by_created', ['createdAt', 'id'])
@Index('ix_tasks_by_priority', ['priority', 'id'])
// GIN (array containment) and expression indexes, which @Index cannot say: created by their migrations, checked to
// exist by the schema test. Due and name sort with nulls as a value (COALESCE), as the list queries do.
@Index('ix_tasks_candidate_groups', { synchronize: false })
@Index('ix_tasks_candidate_users', { synchronize: false })
@Index('ix_tasks_by_due', { synchronize: false })
@Index('ix_tasks_by_name', { synchronize: false })
@Index('ix_tasks_tenant_by_due', { synchronize: false })
@Index('ix_tasks_tenant_by_name', { synchronize: false })
// GIN on the candidate arrays and the expression keys of the due and name sorts live in the migrations only.
export class TaskRecord {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ name: 'process_instance_id', type: 'varchar', length: 64, nullable: true })
  processInstanceId!: string | null;

  @Column({ name: 'process_definition_key', type: 'varchar', length: 255, nullable: true })
  processDefinitionKey!: string | null;

  @Column({ name: 'business_key', type: 'varchar', length: 255, nullable: true })
  businessKey!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ name: 'task_definition_key', type: 'varchar', length: 255, nullable: true })
  taskDefinitionKey!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  assignee!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  owner!: string | null;

  @Column({ name: 'candidate_users', type: 'text', array: true, default: () => "'{}'" })
  candidateUsers!: string[];

  @Column({ name: 'candidate_groups', type: 'text', array: true, default: () => "'{}'" })
  candidateGroups!: string[];

  @Column({ type: 'int' })
  priority!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: TaskState;

  /** Open, but its instance is suspended: nobody can claim or complete it until the instance is activated. */
  @Column({ type: 'boolean', default: false })
  suspended!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'follow_up_at', type: 'timestamptz', nullable: true })
  followUpAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'tenant_id', type: 'varchar', length: 64, nullable: true })
  tenantId!: string | null;

  /** Properties stored escaped because they hold U+0000 (see unstorable-text.ts). */
  @Column({ name: 'escaped_fields', type: 'text', array: true, default: () => "'{}'" })
  escapedFields!: string[];

  @Column({ name: 'last_synced_at', type: 'timestamptz' })
  lastSyncedAt!: Date;
}

/** The engine-supplied text of a row, any of which may hold U+0000. */
export const TASK_TEXT_FIELDS: readonly (keyof TaskRecord)[] = [
  'name',
  'description',
  'assignee',
  'owner',
  'businessKey',
  'tenantId',
  'taskDefinitionKey',
  'processDefinitionKey',
  'candidateUsers',
  'candidateGroups',
];
