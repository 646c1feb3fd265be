import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { keysetPage, type Page, type SortKey } from '../pagination/keyset-page.js';
import { whereEquals } from '../pagination/where-equals.js';
import { AuditLogRecord } from './audit-log.entity.js';

export type AuditEntry = Omit<AuditLogRecord, 'id'>;

export interface AuditFilter {
  workspace?: string;
  /** Local or Camunda id of the actor. */
  actor?: string;
  action?: string;
  since?: Date;
  until?: Date;
  cursor?: string;
  limit: number;
}

/** Whose rows a reader sees: all of them, or those of these workspaces. */
export type AuditVisibility = { all: true } | { workspaces: string[] };

const NEWEST_FIRST: SortKey<AuditLogRecord> = {
  name: 'at',
  expression: 'entry.at',
  sqlType: 'timestamptz',
  valueOf: (entry) => entry.at.toISOString(),
};

/** The audit_log table: the only code that writes, reads or deletes its rows. */
@Injectable()
export class AuditLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (id, at, request_id, actor_local_id, actor_camunda_id, actor_kind, workspace, action, resource_ids, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        randomUUID(),
        entry.at,
        entry.requestId,
        entry.actorLocalId,
        entry.actorCamundaId,
        entry.actorKind,
        entry.workspace,
        entry.action,
        JSON.stringify(entry.resourceIds),
        entry.outcome,
      ],
    );
  }

  page(filter: AuditFilter, visibility: AuditVisibility): Promise<Page<AuditLogRecord>> {
    const builder = this.dataSource.getRepository(AuditLogRecord).createQueryBuilder('entry');
    if (!('all' in visibility)) builder.andWhere('entry.workspace = ANY(:visible)', { visible: visibility.workspaces });
    whereEquals(builder, 'entry', { workspace: filter.workspace, action: filter.action });
    if (filter.actor !== undefined) builder.andWhere('(entry.actor_local_id = :actor OR entry.actor_camunda_id = :actor)', { actor: filter.actor });
    if (filter.since) builder.andWhere('entry.at >= :since', { since: filter.since });
    if (filter.until) builder.andWhere('entry.at < :until', { until: filter.until });
    return keysetPage(builder, {
      key: NEWEST_FIRST,
      idColumn: 'entry.id',
      descending: true,
      cursor: filter.cursor,
      limit: filter.limit,
      map: (entry) => entry,
    });
  }

  /** Deletes up to `batchSize` rows older than `retentionMs`; returns how many. */
  async deleteOlderThan(retentionMs: number, batchSize: number): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < now() - $1 * interval '1 millisecond' LIMIT $2)`,
      [retentionMs, batchSize],
    );
    return count;
  }
}
