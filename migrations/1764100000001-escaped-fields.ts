import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['process_instances', 'tasks', 'variables', 'incidents'];

/** Which values of a row are stored escaped because they hold U+0000 (src/mirror/unstorable-text.ts). */
export class EscapedFields1764100000001 implements MigrationInterface {
  name = 'EscapedFields1764100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN escaped_fields text[] NOT NULL DEFAULT '{}'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN escaped_fields`);
  }
}
