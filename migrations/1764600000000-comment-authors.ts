import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CommentAuthors1764600000000 implements MigrationInterface {
  name = 'CommentAuthors1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE comment_authors (
        comment_id varchar(64) PRIMARY KEY,
        camunda_user_id varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE comment_authors`);
  }
}
