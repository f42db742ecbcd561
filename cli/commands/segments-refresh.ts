import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SEGMENT_REFRESH_ROUTE } from '../../runtime/local/sql-segment-refresh';
import { previewSegmentSync } from '../../services/segment-sync/segment-sync';
import { createLakeLoader } from '../../services/warehouse/lake-loader';
import { loadProject } from '../../services/warehouse/project';
import { createSqlRunner, formatFailure } from '../../services/warehouse/runner';
import { type Connection, resolveConnection } from '../connection';
import { readLocalDevFiles } from '../local-dev-files';
import {
  dataDirOf,
  openWarehouse,
  runOptionsOf,
  type WarehouseFlags,
  withWarehouseFlags,
} from './warehouse-options';

/**
 * Adds `cdp segments refresh`. With a `cdp dev` running on the data folder (its `runtime.json`), asks it
 * to refresh now (`POST /v1/admin/segments/refresh`, read key): the sync writes to the serving store,
 * which lives in that process. Otherwise: load the lake, build the models, and show what the sync would
 * change per segment (the AWS runtime syncs in its Lambda).
 */
export function registerSegmentsRefresh(program: Command): void {
  const group =
    program.commands.find((c) => c.name() === 'segments') ??
    program.command('segments').description('segments: list, members, refresh');
  withWarehouseFlags(
    group
      .command('refresh')
      .description('build the SQL models and report the segment changes a sync would apply (per segment)'),
  ).action(async (flags: WarehouseFlags) => {
    process.exitCode = await refresh(flags);
  });
}

async function refresh(flags: WarehouseFlags): Promise<number> {
  const options = runOptionsOf(flags, process.env);
  if (!options.ok) {
    console.error(options.error);
    return 2;
  }
  const explicitTarget = flags.target ?? flags.url ?? flags.pgliteDir ?? process.env.CDP_WAREHOUSE_TARGET;
  const local = readLocalDevFiles(dataDirOf(flags, process.env));
  if (local.url !== undefined && explicitTarget === undefined && flags.lake) {
    const connection = resolveConnection({ url: local.url }, process.env, 'read', local);
    if (!connection.ok) {
      console.error(connection.error);
      return 2;
    }
    if (flags.concurrency !== undefined)
      console.log('--concurrency does not apply: the running cdp dev builds the models itself');
    const ran = await refreshRunningDev(connection.value, flags);
    if (ran !== undefined) return ran;
    console.log(`no cdp dev answers at ${local.url} (stale runtime.json): previewing offline`);
  }
  if (options.note) console.log(options.note);
  const opened = await openWarehouse(flags, process.env, options.concurrency);
  if (!opened.ok) {
    console.error(opened.error);
    return 2;
  }
  const { warehouse } = opened;
  try {
    const project = await loadProject(resolve(flags.project));
    if (opened.lakeDir) {
      const loaded = await createLakeLoader({ lakeDir: opened.lakeDir }, { warehouse }).load();
      console.log(`lake: ${loaded.files} new files, ${loaded.rows} rows`);
    }
    const run = await createSqlRunner(
      {
        schema: flags.schema,
        vars: options.vars,
        fullRefresh: flags.fullRefresh ?? false,
        concurrency: options.concurrency,
      },
      { warehouse, project },
    ).run();
    if (!run.ok) {
      for (const f of run.failures) console.error(formatFailure(f));
      return 1;
    }
    console.log(`${run.built.length} models built`);
    const preview = await previewSegmentSync({ schema: flags.schema }, { warehouse });
    for (const p of preview) console.log(`${p.segmentId}: +${p.entered} entered, -${p.exited} exited`);
    if (preview.length === 0) console.log('no membership changes since the last sync');
    return 0;
  } finally {
    await warehouse.close();
  }
}

/** Runs the refresh in the running `cdp dev`; `undefined` when nothing answers at its URL. */
async function refreshRunningDev(connection: Connection, flags: WarehouseFlags): Promise<number | undefined> {
  if (flags.vars ?? flags.asOf ?? flags.select ?? flags.fullRefresh)
    console.log('note: --vars, --as-of, --select and --full-refresh apply to the offline preview only');
  let res: Response;
  try {
    res = await fetch(`${connection.url}${SEGMENT_REFRESH_ROUTE}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${connection.key}` },
    });
  } catch {
    return undefined;
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status === 200) {
    console.log(
      `refreshed in cdp dev at ${connection.url}: ${body.modelsBuilt} models built, ${body.lakeRows} new lake rows`,
    );
    console.log(`sync ${body.runId}: +${body.entered} entered, -${body.exited} exited`);
    return 0;
  }
  if (Array.isArray(body.failures)) for (const f of body.failures) console.error(String(f));
  else console.error(`cdp dev answered ${res.status}: ${String(body.message ?? body.error ?? '')}`);
  return 1;
}
