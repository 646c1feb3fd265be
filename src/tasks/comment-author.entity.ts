import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Who wrote a task comment through the gateway. Engine-rest takes no author for a comment and records the
 * gateway's technical engine user; the gateway remembers the caller and answers with them.
 */
@Entity({ name: 'comment_authors' })
export class CommentAuthorRecord {
  @PrimaryColumn({ name: 'comment_id', type: 'varchar', length: 64 })
  commentId!: string;

  @Column({ name: 'camunda_user_id', type: 'varchar', length: 64 })
  camundaUserId!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
