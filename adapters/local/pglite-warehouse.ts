import { PGlite } from '@electric-sql/pglite';
import { type Warehouse, WarehouseQueryError, type WarehouseResult } from '../../contracts/ports/warehouse';
import { describeDriverError, normalizeRows } from './warehouse-values';

/** Where PGlite keeps its files: a directory, or `undefined` for memory only. */
export interface PgliteWarehouseConfig {
  readonly dataDir?: string;
}

/** The embedded warehouse: PostgreSQL compiled to WebAssembly, in this process, session time zone UTC. */
export async function createPgliteWarehouse(config: PgliteWarehouseConfig = {}): Promise<Warehouse> {
  const db = config.dataDir === undefined ? new PGlite() : new PGlite(config.dataDir);
  await db.exec(`set timezone = 'UTC'`);
  const run = async (sql: string, params?: readonly (string | number | null)[]): Promise<WarehouseResult> => {
    try {
      const r = await db.query<Record<string, unknown>>(sql, params ? [...params] : undefined);
      return r.affectedRows === undefined
        ? { rows: normalizeRows(r.rows, r.fields) }
        : { rows: normalizeRows(r.rows, r.fields), rowsAffected: r.affectedRows };
    } catch (error: unknown) {
      const { message, position } = describeDriverError(error);
      throw new WarehouseQueryError(message, sql, position, { cause: error });
    }
  };
  return {
    dialect: 'postgres',
    query: run,
    async batch(statements) {
      await run('begin');
      try {
        for (const s of statements) await (typeof s === 'string' ? run(s) : run(s.sql, s.params));
        await run('commit');
      } catch (error: unknown) {
        await run('rollback');
        throw error;
      }
    },
    async close() {
      await db.close();
    },
  };
}
