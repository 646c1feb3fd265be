import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialMirror1763712000000 implements MigrationInterface {
  name = 'InitialMirror1763712000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE process_definitions (
        id varchar(64) PRIMARY KEY,
        key varchar(255) NOT NULL,
        name varchar(255),
        version int NOT NULL,
        version_tag varchar(255),
        deployment_id varchar(64) NOT NULL,
        resource_name varchar(4000) NOT NULL,
        suspended boolean NOT NULL,
        tenant_id varchar(64),
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_process_definitions_key_version ON process_definitions (key, version)`);

    await queryRunner.query(`
      CREATE TABLE process_instances (
        id varchar(64) PRIMARY KEY,
        definition_id varchar(64) NOT NULL,
        definition_key varchar(255) NOT NULL,
        business_key varchar(255),
        tenant_id varchar(64),
        state varchar(32) NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        delete_reason text,
        last_event_sequence int NOT NULL DEFAULT 0,
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_process_instances_definition_key ON process_instances (definition_key)`);
    await queryRunner.query(`CREATE INDEX ix_process_instances_business_key ON process_instances (business_key)`);
    await queryRunner.query(`CREATE INDEX ix_process_instances_state ON process_instances (state)`);

    await queryRunner.query(`
      CREATE TABLE tasks (
        id varchar(64) PRIMARY KEY,
        process_instance_id varchar(64),
        process_definition_key varchar(255),
        business_key varchar(255),
        name varchar(255),
        description text,
        task_definition_key varchar(255),
        assignee varchar(255),
        owner varchar(255),
        candidate_users text[] NOT NULL DEFAULT '{}',
        candidate_groups text[] NOT NULL DEFAULT '{}',
        priority int NOT NULL,
        state varchar(16) NOT NULL,
        created_at timestamptz NOT NULL,
        due_at timestamptz,
        follow_up_at timestamptz,
        ended_at timestamptz,
        tenant_id varchar(64),
        last_synced_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX ix_tasks_process_instance ON tasks (process_instance_id)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_assignee ON tasks (assignee)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_state ON tasks (state)`);
    await queryRunner.query(`CREATE INDEX ix_tasks_candidate_groups ON tasks USING gin (candidate_groups)`);

    await queryRunner.query(`
      CREATE TABLE outbox_events (
        id uuid PRIMARY KEY,
        position bigserial NOT NULL UNIQUE,
        type varchar(64) NOT NULL,
        process_instance_id varchar(64),
        sequence int,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        published_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX ix_outbox_events_unpublished ON outbox_events (position) WHERE published_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE sync_cursors (
        name varchar(64) PRIMARY KEY,
        position timestamptz,
        last_run_at timestamptz,
        last_success_at timestamptz,
        last_error text,
        last_run_instances int NOT NULL DEFAULT 0,
        last_run_changes int NOT NULL DEFAULT 0
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['sync_cursors', 'outbox_events', 'tasks', 'process_instances', 'process_definitions']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
