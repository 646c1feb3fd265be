import type { MigrationInterface, QueryRunner } from 'typeorm';

const SORT_KEYS: Record<string, string> = {
  created: 'created_at',
  due: "(COALESCE(due_at, 'infinity'::timestamptz))",
  priority: 'priority',
  name: "(COALESCE(name, ''))",
};

/**
 * GET /tasks for a caller of one workspace walks only that tenant's tasks in sort order: a (tenant, sort key, id)
 * index per sort. They lead with the tenant, so the tenant-only index goes; the due-date filters compare the due
 * sort's expression now (ix_tasks_by_due serves them), so the plain due_at index goes too.
 */
export class TaskListTenantIndexes1764920000000 implements MigrationInterface {
  name = 'TaskListTenantIndexes1764920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [sort, key] of Object.entries(SORT_KEYS)) {
      await queryRunner.query(`CREATE INDEX ix_tasks_tenant_by_${sort} ON tasks (tenant_id, ${key}, id)`);
    }
    await queryRunner.query('DROP INDEX ix_tasks_tenant');
    await queryRunner.query('DROP INDEX ix_tasks_due');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX ix_tasks_due ON tasks (due_at)');
    await queryRunner.query('CREATE INDEX ix_tasks_tenant ON tasks (tenant_id)');
    for (const sort of Object.keys(SORT_KEYS)) await queryRunner.query(`DROP INDEX ix_tasks_tenant_by_${sort}`);
  }
}
