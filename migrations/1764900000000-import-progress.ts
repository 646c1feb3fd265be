import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a resumable run got to beyond a timestamp (the import's keyset, counts and phase). */
export class ImportProgress1764900000000 implements MigrationInterface {
  name = 'ImportProgress1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sync_cursors ADD COLUMN progress jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sync_cursors DROP COLUMN progress`);
  }
}
