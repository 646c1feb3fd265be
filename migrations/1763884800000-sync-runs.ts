import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SyncRuns1763884800000 implements MigrationInterface {
  name = 'SyncRuns1763884800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sync_runs (
        id bigserial PRIMARY KEY,
        name varchar(64) NOT NULL,
        replica varchar(255) NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        instances int,
        changes int,
        error text
      )`);
    await queryRunner.query(`CREATE INDEX ix_sync_runs_started_at ON sync_runs (started_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sync_runs`);
  }
}
