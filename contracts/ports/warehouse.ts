/** The SQL dialect a warehouse speaks: Redshift (through the Data API) or PostgreSQL (PGlite or a server). */
export type WarehouseDialect = 'redshift' | 'postgres';

/** A row as the warehouse returns it: timestamps as ISO-8601 strings, numbers as numbers, NULL as null. */
export type WarehouseRow = Record<string, string | number | boolean | null>;

/** What a query returned. */
export interface WarehouseResult {
  readonly rows: readonly WarehouseRow[];
  /** Rows changed by an INSERT/UPDATE/DELETE (undefined when the target does not say). */
  readonly rowsAffected?: number;
}

/** Raised by a warehouse with the database's own message (and its position in the statement, if known). */
export class WarehouseQueryError extends Error {
  constructor(
    message: string,
    readonly sql: string,
    /** 1-based character position in `sql` the database pointed at. */
    readonly position?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WarehouseQueryError';
  }
}

/** One statement of a batch: SQL alone, or SQL with positional parameters. */
export type WarehouseStatement =
  | string
  | { readonly sql: string; readonly params?: readonly (string | number | null)[] };

/**
 * A SQL warehouse (Redshift Serverless via the Data API in AWS; PGlite or a PostgreSQL URL locally).
 * One statement per `query`; `params` are positional (`$1`, `$2`, ...) text values.
 */
export interface Warehouse {
  readonly dialect: WarehouseDialect;
  query(sql: string, params?: readonly (string | number | null)[]): Promise<WarehouseResult>;
  /** Runs statements in order as one transaction where the target supports it. */
  batch(statements: readonly WarehouseStatement[]): Promise<void>;
  close(): Promise<void>;
}
