import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['outbox_events', 'outbox_dead_letters'];

/**
 * Events name the request that caused them: `requestId` in the envelope, and the W3C trace context it ran in
 * (traceparent, tracestate) in a column of its own, since it goes into the AMQP headers and not the body. Dead
 * letters keep it too, so a replay continues the same trace. Rows still to be published get `requestId: null`
 * (nobody recorded one), so every message the relay sends has the full envelope; published rows are never sent
 * again and are left as they are.
 */
export class EventRequestTrace1765100000000 implements MigrationInterface {
  name = 'EventRequestTrace1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN trace_context jsonb`);
    await queryRunner.query(
      `UPDATE outbox_events SET payload = payload || '{"requestId": null}'::jsonb WHERE published_at IS NULL AND NOT payload ? 'requestId'`,
    );
    await queryRunner.query(`UPDATE outbox_dead_letters SET payload = payload || '{"requestId": null}'::jsonb WHERE NOT payload ? 'requestId'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN trace_context`);
      await queryRunner.query(`UPDATE ${table} SET payload = payload - 'requestId' WHERE payload ? 'requestId'`);
    }
  }
}
