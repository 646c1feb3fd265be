import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A caller the gateway has seen, and the Camunda user it was mapped to once and for good. */
@Entity({ name: 'identity_users' })
@Index('uq_identity_users_issuer_local_id', ['issuer', 'localId'], { unique: true })
export class IdentityUserRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 1000 })
  issuer!: string;

  @Column({ name: 'local_id', type: 'varchar', length: 255 })
  localId!: string;

  @Index('uq_identity_users_camunda_user_id', { unique: true })
  @Column({ name: 'camunda_user_id', type: 'varchar', length: 64 })
  camundaUserId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: 'user' | 'service';

  @Column({ type: 'varchar', length: 255, nullable: true })
  username!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ name: 'first_seen_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  firstSeenAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz', default: () => 'now()' })
  lastSeenAt!: Date;

  /** When its Camunda user, groups and tenants were last brought in line; null until the first time succeeded. */
  @Column({ name: 'provisioned_at', type: 'timestamptz', nullable: true })
  provisionedAt!: Date | null;
}
