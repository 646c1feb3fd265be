import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which attempt at an external task holds a held event. A task redelivered to another worker finds the event its
 * first holder wrote and takes it over; the first holder, told that its outcome was dropped, then discards only
 * what it still holds, not the event its successor is about to release.
 */
export class HeldBy1765300000000 implements MigrationInterface {
  name = 'HeldBy1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_events ADD COLUMN held_by uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_events DROP COLUMN held_by`);
  }
}
