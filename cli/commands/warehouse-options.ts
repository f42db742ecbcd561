import { join, resolve } from 'node:path';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type { Command } from 'commander';
import { createRedshiftDataWarehouse } from '../../adapters/aws/redshift-data-warehouse';
import { createPgliteWarehouse } from '../../adapters/local/pglite-warehouse';
import { createPostgresWarehouse } from '../../adapters/local/postgres-warehouse';
import type { Warehouse } from '../../contracts/ports/warehouse';

/** Flags shared by `cdp sql ...`, `cdp segments refresh` and `cdp parity`. */
export interface WarehouseFlags {
  target?: string;
  url?: string;
  data?: string;
  pgliteDir?: string;
  workgroup?: string;
  database?: string;
  project: string;
  schema: string;
  asOf?: string;
  vars?: string;
  select?: string;
  fullRefresh?: boolean;
  concurrency?: string;
  lake: boolean;
}

/** Adds the warehouse flags to a command. */
export function withWarehouseFlags(command: Command): Command {
  return command
    .option(
      '--target <pglite|postgres|redshift>',
      'where the models run (env CDP_WAREHOUSE_TARGET)',
      undefined,
    )
    .option('--url <postgres-url>', 'PostgreSQL server for --target postgres (env CDP_WAREHOUSE_URL)')
    .option('--data <dir>', 'data folder of the embedded runtime (env CDP_DATA_DIR, default ./.tributary)')
    .option('--pglite-dir <dir>', 'PGlite files (default <data>/warehouse)')
    .option('--workgroup <name>', 'Redshift Serverless workgroup for --target redshift')
    .option('--database <name>', 'Redshift database', 'tributary')
    .option('--project <dir>', 'the dbt-layout SQL folder', 'sql')
    .option('--schema <name>', 'schema the models are built in', 'analytics')
    .option('--as-of <iso>', 'time segment rules and recency are computed at (default: now)')
    .option('--vars <json>', 'JSON object overriding dbt_project.yml vars')
    .option('--select <models>', 'comma-separated models to build (with everything downstream)')
    .option('--full-refresh', 'rebuild incremental models from scratch')
    .option(
      '--concurrency <n>',
      'models built at once on PostgreSQL or Redshift (each needs a connection; PGlite builds one at a time)',
    )
    .option('--no-lake', 'do not load the local lake first');
}

/** The data folder: flag, then `CDP_DATA_DIR`, then `./.tributary`. */
export function dataDirOf(flags: WarehouseFlags, env: NodeJS.ProcessEnv): string {
  return resolve(flags.data ?? env.CDP_DATA_DIR ?? './.tributary');
}

/** Parses `--vars` and `--as-of` into run vars; a message when they are not valid. */
export function runVarsOf(
  flags: WarehouseFlags,
): { ok: true; vars: Record<string, unknown> } | { ok: false; error: string } {
  let vars: Record<string, unknown> = {};
  if (flags.vars) {
    try {
      const parsed = JSON.parse(flags.vars) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new Error('not an object');
      vars = parsed as Record<string, unknown>;
    } catch {
      return { ok: false, error: '--vars must be a JSON object, e.g. {"session_gap_minutes": 20}' };
    }
  }
  if (flags.asOf !== undefined) {
    const ms = Date.parse(flags.asOf);
    if (Number.isNaN(ms))
      return { ok: false, error: `--as-of must be an ISO-8601 time, got "${flags.asOf}"` };
    vars.as_of = `'${new Date(ms).toISOString().replace('T', ' ').replace('Z', '')}'`;
  }
  return { ok: true, vars };
}

/**
 * Models built at once: `--concurrency`, default 1. PGlite has a single connection, so it always builds one
 * model at a time (with a note when more were asked for).
 */
export function concurrencyOf(
  flags: WarehouseFlags,
  env: NodeJS.ProcessEnv,
): { ok: true; concurrency: number; note?: string } | { ok: false; error: string } {
  if (flags.concurrency === undefined) return { ok: true, concurrency: 1 };
  const n = Number(flags.concurrency);
  if (!Number.isInteger(n) || n < 1 || n > 32)
    return {
      ok: false,
      error: `--concurrency must be a whole number from 1 to 32, got "${flags.concurrency}"`,
    };
  if (targetOf(flags, env) === 'pglite' && n > 1)
    return { ok: true, concurrency: 1, note: 'PGlite has one connection: building one model at a time' };
  return { ok: true, concurrency: n };
}

/** The warehouse target: `--target`, then `CDP_WAREHOUSE_TARGET`, then PGlite. */
function targetOf(flags: WarehouseFlags, env: NodeJS.ProcessEnv): string {
  return flags.target ?? env.CDP_WAREHOUSE_TARGET ?? 'pglite';
}

/** `--vars`/`--as-of` and `--concurrency` together, as `cdp sql run` and `cdp segments refresh` take them. */
export function runOptionsOf(
  flags: WarehouseFlags,
  env: NodeJS.ProcessEnv,
):
  | { ok: true; vars: Record<string, unknown>; concurrency: number; note?: string }
  | { ok: false; error: string } {
  const vars = runVarsOf(flags);
  if (!vars.ok) return vars;
  const concurrency = concurrencyOf(flags, env);
  if (!concurrency.ok) return concurrency;
  return { ...concurrency, vars: vars.vars };
}

/** Opens the warehouse the flags name (building the SDK client here, at the edge). */
export async function openWarehouse(
  flags: WarehouseFlags,
  env: NodeJS.ProcessEnv,
  concurrency = 1,
): Promise<{ ok: true; warehouse: Warehouse; lakeDir?: string } | { ok: false; error: string }> {
  const target = targetOf(flags, env);
  const dataDir = dataDirOf(flags, env);
  const lakeDir = flags.lake ? join(dataDir, 'lake') : undefined;
  const withLake = (warehouse: Warehouse) =>
    lakeDir ? { ok: true as const, warehouse, lakeDir } : { ok: true as const, warehouse };
  if (target === 'pglite') {
    return withLake(
      await createPgliteWarehouse({ dataDir: resolve(flags.pgliteDir ?? join(dataDir, 'warehouse')) }),
    );
  }
  if (target === 'postgres') {
    const url = flags.url ?? env.CDP_WAREHOUSE_URL;
    if (!url) return { ok: false, error: '--target postgres needs --url (or CDP_WAREHOUSE_URL)' };
    // one connection per model built at once, and the pool's usual four at least
    return withLake(createPostgresWarehouse({ url, poolSize: Math.max(4, concurrency) }));
  }
  if (target === 'redshift') {
    const workgroup = flags.workgroup ?? env.TRIBUTARY_REDSHIFT_WORKGROUP;
    if (!workgroup)
      return { ok: false, error: '--target redshift needs --workgroup (or TRIBUTARY_REDSHIFT_WORKGROUP)' };
    const client = new RedshiftDataClient({});
    // Redshift reads the lake through Spectrum: nothing to load.
    return {
      ok: true,
      warehouse: createRedshiftDataWarehouse(
        { workgroupName: workgroup, database: flags.database ?? 'tributary' },
        { client },
      ),
    };
  }
  return { ok: false, error: `--target must be pglite, postgres or redshift, got "${target}"` };
}
