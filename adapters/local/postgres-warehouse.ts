import pg from 'pg';
import { type Warehouse, WarehouseQueryError, type WarehouseResult } from '../../contracts/ports/warehouse';
import { describeDriverError, normalizeRows, PG_TYPE } from './warehouse-values';

/** A PostgreSQL server by URL (`postgres://user:pass@host:port/db`). */
export interface PostgresWarehouseConfig {
  readonly url: string;
  /** Connections kept open (default 4). */
  readonly poolSize?: number;
}

const raw = (value: string) => value;

/** A warehouse on a real PostgreSQL server: a connection pool, session time zone UTC. */
export function createPostgresWarehouse(config: PostgresWarehouseConfig): Warehouse {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 4,
    options: '-c timezone=UTC',
    types: {
      // Timestamps come back as text and are normalized to ISO; never parsed in the machine's zone.
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_TYPE.timestamp || oid === PG_TYPE.timestamptz || oid === PG_TYPE.date
          ? raw
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  const fail = (error: unknown, sql: string): never => {
    const { message, position } = describeDriverError(error);
    throw new WarehouseQueryError(message, sql, position, { cause: error });
  };
  const toResult = (r: pg.QueryResult<Record<string, unknown>>): WarehouseResult => {
    const rows = normalizeRows(r.rows, r.fields);
    return r.rowCount === null ? { rows } : { rows, rowsAffected: r.rowCount };
  };
  // An idle connection dropped by the server (restart, shutdown) is not a crash: the next query opens a
  // new one, or fails with the database's message.
  pool.on('error', () => undefined);
  return {
    dialect: 'postgres',
    async query(sql, params) {
      try {
        return toResult(await pool.query(sql, params ? [...params] : undefined));
      } catch (error: unknown) {
        return fail(error, sql);
      }
    },
    async batch(statements) {
      const client = await pool.connect();
      let current = 'begin';
      try {
        await client.query('begin');
        for (const s of statements) {
          current = typeof s === 'string' ? s : s.sql;
          await (typeof s === 'string'
            ? client.query(s)
            : client.query(s.sql, s.params ? [...s.params] : undefined));
        }
        current = 'commit';
        await client.query('commit');
      } catch (error: unknown) {
        await client.query('rollback').catch(() => undefined);
        fail(error, current);
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
