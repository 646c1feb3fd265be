import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An index for every filter and every sort of GET /tasks and GET /process-instances (keyset order included). */
export class ListIndexes1764700000000 implements MigrationInterface {
  name = 'ListIndexes1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_tasks_tenant ON tasks (tenant_id)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_candidate_users ON tasks USING gin (candidate_users)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_definition_key ON tasks (process_definition_key)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_business_key ON tasks (business_key)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_by_created ON tasks (created_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_by_priority ON tasks (priority, id)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_by_due ON tasks ((COALESCE(due_at, 'infinity'::timestamptz)), id)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_by_name ON tasks ((COALESCE(name, '')), id)`);
    // The due-date filters compare due_at itself (no due date matches neither), so the sort index cannot serve them.
    await queryRunner.query(`CREATE INDEX ix_tasks_due ON tasks (due_at)`);
    await queryRunner.query(`CREATE INDEX ix_process_instances_by_started ON process_instances (started_at, id)`);
    await queryRunner.query(`CREATE INDEX ix_process_instances_tenant ON process_instances (tenant_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'ix_tasks_tenant',
      'ix_tasks_candidate_users',
      'ix_tasks_definition_key',
      'ix_tasks_business_key',
      'ix_tasks_by_created',
      'ix_tasks_by_priority',
      'ix_tasks_by_due',
      'ix_tasks_by_name',
      'ix_tasks_due',
      'ix_process_instances_by_started',
      'ix_process_instances_tenant',
    ]) {
      await queryRunner.query(`DROP INDEX ${index}`);
    }
  }
}
