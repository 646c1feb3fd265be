import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLog1764500000002 implements MigrationInterface {
  name = 'AuditLog1764500000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY,
        at timestamptz NOT NULL,
        request_id varchar(128) NOT NULL,
        actor_local_id varchar(255),
        actor_camunda_id varchar(64),
        actor_kind varchar(16),
        workspace varchar(64),
        action varchar(255) NOT NULL,
        resource_ids jsonb NOT NULL,
        outcome int NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_audit_log_at ON audit_log (at, id)`);
    await queryRunner.query(`CREATE INDEX ix_audit_log_workspace_at ON audit_log (workspace, at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
  }
}
