import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How many tasks have any candidate user or group at all. Without it the planner guesses that a candidate filter
 * matches 0.5% of the tasks whenever the array column holds no elements to count (no candidate users anywhere, the
 * usual case): it walks the sort index looking for them, through every open task when there are none. The task
 * list's candidate filters say `cardinality(…) > 0` beside their GIN condition, which these statistics estimate.
 */
export class CandidateCountStatistics1765200000000 implements MigrationInterface {
  name = 'CandidateCountStatistics1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE STATISTICS st_tasks_candidate_counts ON (cardinality(candidate_users)), (cardinality(candidate_groups)) FROM tasks`);
    await queryRunner.query(`ANALYZE tasks`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP STATISTICS st_tasks_candidate_counts`);
  }
}
