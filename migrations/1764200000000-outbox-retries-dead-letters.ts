import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-row retry state and queue time on the outbox; dead letters for rows the broker kept refusing. */
export class OutboxRetriesDeadLetters1764200000000 implements MigrationInterface {
  name = 'OutboxRetriesDeadLetters1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbox_events
        ADD COLUMN queued_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN attempts int NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz,
        ADD COLUMN first_failed_at timestamptz,
        ADD COLUMN last_error text`);
    // The relay asks "does an earlier row of this instance still fail?" for every candidate row.
    await queryRunner.query(`CREATE INDEX ix_outbox_events_unpublished_instance ON outbox_events (process_instance_id, position) WHERE published_at IS NULL`);
    await queryRunner.query(`CREATE INDEX ix_outbox_events_published_at ON outbox_events (published_at) WHERE published_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE outbox_dead_letters (
        id uuid PRIMARY KEY,
        position bigint NOT NULL,
        type varchar(64) NOT NULL,
        process_instance_id varchar(64),
        sequence int,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        queued_at timestamptz NOT NULL,
        attempts int NOT NULL,
        first_failed_at timestamptz NOT NULL,
        last_error text NOT NULL,
        dead_lettered_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox_dead_letters`);
    await queryRunner.query(`DROP INDEX ix_outbox_events_published_at`);
    await queryRunner.query(`DROP INDEX ix_outbox_events_unpublished_instance`);
    await queryRunner.query(`
      ALTER TABLE outbox_events
        DROP COLUMN queued_at, DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN first_failed_at, DROP COLUMN last_error`);
  }
}
