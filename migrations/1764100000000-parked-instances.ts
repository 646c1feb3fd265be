import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ParkedInstances1764100000000 implements MigrationInterface {
  name = 'ParkedInstances1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE parked_instances (
        instance_id varchar(64) PRIMARY KEY,
        error text NOT NULL,
        attempts int NOT NULL,
        first_failed_at timestamptz NOT NULL,
        last_failed_at timestamptz NOT NULL,
        next_retry_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_parked_instances_next_retry ON parked_instances (next_retry_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE parked_instances`);
  }
}
