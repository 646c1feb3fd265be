import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKeys1764300000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The answer is kept as JSON text, not jsonb: jsonb refuses \u0000, and an answer may echo what the caller sent.
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        key varchar(255) PRIMARY KEY,
        fingerprint char(64) NOT NULL,
        status int,
        content_type varchar(100),
        location varchar(2048),
        body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }
}
