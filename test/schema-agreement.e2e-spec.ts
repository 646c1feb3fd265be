import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { freshDatabase } from './support/own-database.js';

/** The entities and the migrations describe one schema: what the migrations build is what the entities say. */
describe('entities and migrations agree', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(dataSourceOptions(await freshDatabase('camunda_gateway_schema_check')));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  it('a freshly migrated database needs no change to match the entities (no table, column, index or key missing or extra)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('every table the migrations create has an entity', async () => {
    const tables: { name: string }[] = await dataSource.query(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`,
    );
    expect(tables.map((table) => table.name).sort()).toEqual(dataSource.entityMetadatas.map((entity) => entity.tableName).sort());
  });

  it('every index an entity leaves to its migration (GIN, expressions, sort order) exists, on the table the entity names', async () => {
    const manual = dataSource.entityMetadatas.flatMap((entity) =>
      entity.indices.filter((index) => !index.synchronize).map((index) => ({ table: entity.tableName, index: index.name })),
    );
    expect(manual.length).toBeGreaterThan(0);
    const existing: { table: string; index: string }[] = await dataSource.query(
      `SELECT tablename AS "table", indexname AS "index" FROM pg_indexes WHERE schemaname = 'public'`,
    );
    expect(existing).toEqual(expect.arrayContaining(manual));
  });
});
