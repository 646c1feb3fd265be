import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1764400000000 implements MigrationInterface {
  name = 'Identity1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // first_seen_at in milliseconds: it is the keyset of the user list, and cursors carry JavaScript dates.
    await queryRunner.query(`
      CREATE TABLE identity_users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        issuer varchar(1000) NOT NULL,
        local_id varchar(255) NOT NULL,
        camunda_user_id varchar(64) NOT NULL,
        kind varchar(16) NOT NULL,
        username varchar(255),
        name varchar(255),
        email varchar(320),
        first_seen_at timestamptz(3) NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        provisioned_at timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_identity_users_issuer_local_id ON identity_users (issuer, local_id)`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_identity_users_camunda_user_id ON identity_users (camunda_user_id)`);
    await queryRunner.query(`
      CREATE TABLE workspaces (
        id varchar(255) PRIMARY KEY,
        name varchar(255) NOT NULL,
        tenant_id varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        provisioned_at timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_workspaces_tenant_id ON workspaces (tenant_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE workspaces`);
    await queryRunner.query(`DROP TABLE identity_users`);
  }
}
