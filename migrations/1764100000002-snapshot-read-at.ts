import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When the engine read behind a mirrored instance began, so an older read is never applied over a newer one. */
export class SnapshotReadAt1764100000002 implements MigrationInterface {
  name = 'SnapshotReadAt1764100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE process_instances ADD COLUMN snapshot_read_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE process_instances DROP COLUMN snapshot_read_at`);
  }
}
