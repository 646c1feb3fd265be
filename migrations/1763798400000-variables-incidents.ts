import type { MigrationInterface, QueryRunner } from 'typeorm';

export class VariablesIncidents1763798400000 implements MigrationInterface {
  name = 'VariablesIncidents1763798400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE variables (
        id varchar(64) PRIMARY KEY,
        process_instance_id varchar(64) NOT NULL,
        name varchar(4000) NOT NULL,
        type varchar(64) NOT NULL,
        value jsonb,
        value_info jsonb,
        scope varchar(16) NOT NULL,
        task_id varchar(64),
        activity_instance_id varchar(64),
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_variables_process_instance ON variables (process_instance_id)`);
    await queryRunner.query(`CREATE INDEX ix_variables_name ON variables (name)`);

    await queryRunner.query(`
      CREATE TABLE incidents (
        id varchar(64) PRIMARY KEY,
        process_instance_id varchar(64) NOT NULL,
        type varchar(255) NOT NULL,
        message text,
        activity_id varchar(255),
        configuration varchar(255),
        annotation text,
        state varchar(16) NOT NULL,
        created_at timestamptz NOT NULL,
        ended_at timestamptz,
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_incidents_process_instance ON incidents (process_instance_id)`);
    await queryRunner.query(`CREATE INDEX ix_incidents_open ON incidents (state) WHERE state = 'OPEN'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE incidents`);
    await queryRunner.query(`DROP TABLE variables`);
  }
}
