import { resolve } from 'node:path';
import type { Command } from 'commander';
import { previewSegmentSync } from '../../services/segment-sync/segment-sync';
import { createLakeLoader } from '../../services/warehouse/lake-loader';
import { loadProject } from '../../services/warehouse/project';
import { createSqlRunner, formatFailure } from '../../services/warehouse/runner';
import { openWarehouse, runVarsOf, type WarehouseFlags, withWarehouseFlags } from './warehouse-options';

/**
 * Adds `cdp segments refresh`: load the lake, build the models, and show what the sync would change
 * per segment. The sync itself writes to a serving store, which lives in the process that serves it:
 * the embedded runtime runs `refreshSegments` on its schedule, the AWS runtime in its Lambda.
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
  const vars = runVarsOf(flags);
  if (!vars.ok) {
    console.error(vars.error);
    return 2;
  }
  const opened = await openWarehouse(flags, process.env);
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
      { schema: flags.schema, vars: vars.vars, fullRefresh: flags.fullRefresh ?? false },
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
