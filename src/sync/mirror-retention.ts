import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GatewayConfig } from '../config/gateway-config.js';
import { BatchedSweep } from '../database/batched-sweep.js';

/**
 * Purges mirror rows of instances that ended longer ago than MIRROR_RETENTION_MS (0 keeps them), with their
 * tasks, variables and incidents, in bounded batches. Not an engine change: no event. Reading a purged instance
 * by id fetches it from the engine's history again, as for any instance the mirror has not seen.
 */
@Injectable()
export class MirrorRetention extends BatchedSweep {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: GatewayConfig,
  ) {
    super('Mirror retention', config.MIRROR_RETENTION_MS > 0 ? config.MIRROR_RETENTION_SWEEP_MS : null);
  }

  protected async deleteBatch(limit: number): Promise<number> {
    const [{ purged }]: { purged: number }[] = await this.dataSource.query(
      `WITH doomed AS (
         SELECT id FROM process_instances WHERE ended_at < now() - $1 * interval '1 millisecond' ORDER BY ended_at LIMIT $2),
       tasks_gone AS (DELETE FROM tasks WHERE process_instance_id IN (SELECT id FROM doomed)),
       variables_gone AS (DELETE FROM variables WHERE process_instance_id IN (SELECT id FROM doomed)),
       incidents_gone AS (DELETE FROM incidents WHERE process_instance_id IN (SELECT id FROM doomed)),
       instances_gone AS (DELETE FROM process_instances WHERE id IN (SELECT id FROM doomed) RETURNING id)
       SELECT count(*)::int AS purged FROM instances_gone`,
      [this.config.MIRROR_RETENTION_MS, limit],
    );
    return purged;
  }
}
