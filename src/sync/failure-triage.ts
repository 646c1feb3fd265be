import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HistoryClient } from '../camunda/clients/history.client.js';
import { isEngineUnreachable } from '../camunda/camunda.errors.js';
import { isDatabaseUnavailable } from '../problem/problem-details.filter.js';

/**
 * Tells a poison instance from an outage. A sync run parks the former and goes on; the latter fails the run and
 * keeps its cursor, so an outage never parks every instance the run touches.
 */
@Injectable()
export class FailureTriage {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly historyClient: HistoryClient,
  ) {}

  async isOutage(error: unknown): Promise<boolean> {
    // An unreachable engine says nothing about the instance being refreshed: every other one would fail the same way.
    if (isEngineUnreachable(error)) return true;
    if (isDatabaseUnavailable(error)) return true;
    // An engine whose own database is down answers 500 to everything, which reads like an instance's error: the
    // failure counts as the instance's own only if both sides still answer a question about something else.
    try {
      await Promise.all([
        this.dataSource.query('SELECT 1'),
        this.historyClient.listHistoricProcessInstances({ unfinished: true, firstResult: 0, maxResults: 1 }),
      ]);
      return false;
    } catch {
      return true;
    }
  }
}
