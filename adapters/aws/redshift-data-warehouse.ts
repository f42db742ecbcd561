import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  type ColumnMetadata,
  DescribeStatementCommand,
  type DescribeStatementCommandOutput,
  ExecuteStatementCommand,
  type Field,
  GetStatementResultCommand,
  type GetStatementResultCommandOutput,
  type RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import {
  type Warehouse,
  WarehouseQueryError,
  type WarehouseRow,
  type WarehouseStatement,
} from '../../contracts/ports/warehouse';
import { codeMask } from '../../services/warehouse/sql-scan';

/** Where statements run (Serverless workgroup or provisioned cluster) and how long to wait for them. */
export interface RedshiftDataWarehouseConfig {
  readonly database: string;
  readonly workgroupName?: string;
  readonly clusterIdentifier?: string;
  readonly secretArn?: string;
  readonly dbUser?: string;
  /** First DescribeStatement delay; doubles up to `maxPollIntervalMs` (defaults 100 ms, 2 s). */
  readonly pollIntervalMs?: number;
  readonly maxPollIntervalMs?: number;
  /** A statement still running after this is cancelled and reported (default 15 minutes). */
  readonly timeoutMs?: number;
}

/** The SDK client (built once in an entry file), and clock hooks for tests. */
export interface RedshiftDataWarehouseDeps {
  readonly client: Pick<RedshiftDataClient, 'send'>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

type Param = string | number | null;

const literal = (v: Param): string =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;

/**
 * Rewrites PostgreSQL-style `$1` parameters: to the Data API's `:p1` names (with their values), or to
 * inline literals where names cannot be used (BatchExecuteStatement takes none, and NULL is no value).
 */
export function bindParameters(
  sql: string,
  params: readonly Param[] | undefined,
  inline: boolean,
): { sql: string; parameters: { name: string; value: string }[] } {
  if (!params || params.length === 0) return { sql, parameters: [] };
  const mask = codeMask(sql);
  const parameters: { name: string; value: string }[] = [];
  const out = sql.replace(/\$(\d+)/g, (whole, digits: string, offset: number) => {
    if (!mask[offset]) return whole;
    const index = Number(digits) - 1;
    if (index < 0 || index >= params.length) throw new Error(`parameter ${whole} has no value`);
    const value = params[index] as Param;
    if (inline || value === null) return literal(value);
    const name = `p${digits}`;
    if (!parameters.some((p) => p.name === name)) parameters.push({ name, value: String(value) });
    return `:${name}`;
  });
  return { sql: out, parameters };
}

/** A Data API field as the port's value, by the column's type. */
export function fieldValue(
  field: Field,
  column: ColumnMetadata | undefined,
): string | number | boolean | null {
  if ('isNull' in field && field.isNull) return null;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.longValue !== undefined) return field.longValue;
  if (field.doubleValue !== undefined) return field.doubleValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue).toString('base64');
  const text = field.stringValue ?? null;
  if (text === null) return null;
  const type = (column?.typeName ?? '').toLowerCase();
  if (type === 'numeric' || type === 'decimal') return Number(text);
  if (type === 'timestamp' || type === 'timestamptz') {
    const iso = `${text.replace(' ', 'T')}${/[zZ]|[+-]\d\d(:?\d\d)?$/.test(text) ? '' : 'Z'}`;
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? text : new Date(ms).toISOString();
  }
  return text;
}

/**
 * The warehouse on Redshift through the Data API: submit, poll DescribeStatement with growing
 * delays until it finishes (cancel at the timeout), page GetStatementResult, map typed fields.
 */
export function createRedshiftDataWarehouse(
  config: RedshiftDataWarehouseConfig,
  deps: RedshiftDataWarehouseDeps,
): Warehouse {
  if ((config.workgroupName === undefined) === (config.clusterIdentifier === undefined)) {
    throw new Error('give exactly one of workgroupName or clusterIdentifier');
  }
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = deps.now ?? Date.now;
  const target = {
    Database: config.database,
    ...(config.workgroupName ? { WorkgroupName: config.workgroupName } : {}),
    ...(config.clusterIdentifier ? { ClusterIdentifier: config.clusterIdentifier } : {}),
    ...(config.secretArn ? { SecretArn: config.secretArn } : {}),
    ...(config.dbUser ? { DbUser: config.dbUser } : {}),
  };

  const waitFor = async (id: string, sql: string): Promise<DescribeStatementCommandOutput> => {
    const deadline = now() + (config.timeoutMs ?? 15 * 60_000);
    let delay = config.pollIntervalMs ?? 100;
    for (;;) {
      const d = await deps.client.send(new DescribeStatementCommand({ Id: id }));
      if (d.Status === 'FINISHED') return d;
      if (d.Status === 'FAILED' || d.Status === 'ABORTED') {
        throw new WarehouseQueryError(d.Error ?? `statement ${d.Status?.toLowerCase()}`, sql);
      }
      if (now() >= deadline) {
        await deps.client.send(new CancelStatementCommand({ Id: id })).catch(() => undefined);
        throw new WarehouseQueryError(
          `statement ${id} still ${d.Status} after ${config.timeoutMs ?? 900_000} ms: cancelled`,
          sql,
        );
      }
      await sleep(delay);
      delay = Math.min(delay * 2, config.maxPollIntervalMs ?? 2000);
    }
  };

  const readRows = async (id: string): Promise<WarehouseRow[]> => {
    const rows: WarehouseRow[] = [];
    let columns: ColumnMetadata[] = [];
    let token: string | undefined;
    do {
      const page: GetStatementResultCommandOutput = await deps.client.send(
        new GetStatementResultCommand(token ? { Id: id, NextToken: token } : { Id: id }),
      );
      if (page.ColumnMetadata && page.ColumnMetadata.length > 0) columns = page.ColumnMetadata;
      for (const record of page.Records ?? []) {
        const row: WarehouseRow = {};
        record.forEach((field, i) => {
          const column = columns[i];
          row[column?.label ?? column?.name ?? `column${i + 1}`] = fieldValue(field, column);
        });
        rows.push(row);
      }
      token = page.NextToken;
    } while (token);
    return rows;
  };

  return {
    dialect: 'redshift',
    async query(sql, params) {
      const bound = bindParameters(sql, params, false);
      const started = await deps.client.send(
        new ExecuteStatementCommand({
          ...target,
          Sql: bound.sql,
          ...(bound.parameters.length > 0 ? { Parameters: bound.parameters } : {}),
        }),
      );
      const id = started.Id as string;
      const done = await waitFor(id, sql);
      const rows = done.HasResultSet ? await readRows(id) : [];
      return done.ResultRows !== undefined && done.ResultRows >= 0 && !done.HasResultSet
        ? { rows, rowsAffected: done.ResultRows }
        : { rows };
    },
    async batch(statements: readonly WarehouseStatement[]) {
      const sqls = statements.map((s) =>
        typeof s === 'string' ? s : bindParameters(s.sql, s.params, true).sql,
      );
      const started = await deps.client.send(new BatchExecuteStatementCommand({ ...target, Sqls: sqls }));
      await waitFor(started.Id as string, sqls.join(';\n'));
    },
    async close() {
      // The Data API has no connection to close.
    },
  };
}
