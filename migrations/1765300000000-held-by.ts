import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which attempts at an external task hold a held event. A task redelivered to another worker finds the event its
 * first holder wrote and holds it too; an attempt whose outcome was dropped lets go of it, and the event is deleted
 * only when no attempt holds it any more, whatever order the attempts write and give up in.
 */
export class HeldBy1765300000000 implements MigrationInterface {
  name = 'HeldBy1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_events ADD COLUMN held_by uuid[]`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_events DROP COLUMN held_by`);
  }
}
