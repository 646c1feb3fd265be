import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who started each mirrored instance; rows mirrored before stay null until their next refresh. */
export class InstanceStartedBy1764500000000 implements MigrationInterface {
  name = 'InstanceStartedBy1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE process_instances ADD COLUMN started_by varchar(64)`);
    await queryRunner.query(`CREATE INDEX ix_process_instances_tenant_started_by ON process_instances (tenant_id, started_by)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_process_instances_tenant_started_by`);
    await queryRunner.query(`ALTER TABLE process_instances DROP COLUMN started_by`);
  }
}
