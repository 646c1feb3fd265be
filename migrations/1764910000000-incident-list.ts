import type { MigrationInterface, QueryRunner } from 'typeorm';

/** GET /incidents reads the mirror now: newest first within a state, without reading every incident ever mirrored. */
export class IncidentList1764910000000 implements MigrationInterface {
  name = 'IncidentList1764910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_incidents_state_created ON incidents (state, created_at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_incidents_state_created`);
  }
}
