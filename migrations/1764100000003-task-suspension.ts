import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A task of a suspended instance cannot be claimed or completed; the mirror says so. */
export class TaskSuspension1764100000003 implements MigrationInterface {
  name = 'TaskSuspension1764100000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tasks ADD COLUMN suspended boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `UPDATE tasks SET suspended = true FROM process_instances WHERE tasks.process_instance_id = process_instances.id AND process_instances.state = 'SUSPENDED' AND tasks.state IN ('CREATED', 'ASSIGNED')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tasks DROP COLUMN suspended`);
  }
}
