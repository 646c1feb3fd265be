import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An external-task worker's events are written before the engine hears of the completion and held until it has:
 * released when the completion is accepted, deleted when the task turned out to be no longer the worker's. A hold
 * that nobody settles (the gateway died in between) ends by itself at `held_until`.
 */
export class HeldEvents1765000000000 implements MigrationInterface {
  name = 'HeldEvents1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_events ADD COLUMN held_until timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_events DROP COLUMN held_until`);
  }
}
