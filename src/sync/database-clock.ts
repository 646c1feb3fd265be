import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The database's clock: the one every replica compares read times with, so a refresh on one replica never takes
 * a newer mirror row on another for older because their own clocks differ.
 */
@Injectable()
export class DatabaseClock {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async now(): Promise<Date> {
    const [{ now }]: { now: Date }[] = await this.dataSource.query('SELECT clock_timestamp() AS now');
    return now;
  }
}
