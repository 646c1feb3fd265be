import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One Idempotency-Key: the request it was first used for and, once that finished, its answer. */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyRecord {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key!: string;

  /** SHA-256 of method, path and body: the same key with another request is refused. */
  @Column({ type: 'char', length: 64 })
  fingerprint!: string;

  /** Null while the first request is still running (or its answer could not be recorded). */
  @Column({ type: 'int', nullable: true })
  status!: number | null;

  @Column({ name: 'content_type', type: 'varchar', length: 100, nullable: true })
  contentType!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  location!: string | null;

  /** The answer's body as JSON text. */
  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Index('ix_idempotency_keys_expires_at')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
