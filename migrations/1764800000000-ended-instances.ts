import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the mirror retention find ended instances without reading the whole table. */
export class EndedInstances1764800000000 implements MigrationInterface {
  name = 'EndedInstances1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_process_instances_ended_at ON process_instances (ended_at) WHERE ended_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_process_instances_ended_at`);
  }
}
