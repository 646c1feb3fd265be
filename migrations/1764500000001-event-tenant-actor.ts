import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['outbox_events', 'outbox_dead_letters'];

/**
 * Events written before the envelope carried tenantId and actor get them, so every message still to be
 * published (or replayed) has the full envelope: the tenant from the mirror, no actor (nobody recorded one).
 */
export class EventTenantActor1764500000001 implements MigrationInterface {
  name = 'EventTenantActor1764500000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(
        `UPDATE ${table} AS event
            SET payload = event.payload || jsonb_build_object('tenantId', instance.tenant_id, 'actor', NULL)
           FROM process_instances AS instance
          WHERE instance.id = event.process_instance_id AND NOT event.payload ? 'tenantId'`,
      );
      await queryRunner.query(`UPDATE ${table} SET payload = payload || '{"tenantId": null, "actor": null}'::jsonb WHERE NOT payload ? 'tenantId'`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`UPDATE ${table} SET payload = payload - 'tenantId' - 'actor'`);
  }
}
