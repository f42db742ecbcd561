import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { renderAnalystDocs } from '../../services/warehouse/analyst-docs';
import { createLakeLoader } from '../../services/warehouse/lake-loader';
import { loadProject, ProjectError } from '../../services/warehouse/project';
import { checkProjectPortability, createSqlRunner, formatFailure } from '../../services/warehouse/runner';
import { openWarehouse, runOptionsOf, type WarehouseFlags, withWarehouseFlags } from './warehouse-options';

/** Adds `cdp sql run`, `cdp sql test`, `cdp sql check` and `cdp sql docs`. Exit codes: 0 ok, 1 failed, 2 bad flags. */
export function registerSqlCommands(program: Command): void {
  const sql = program.command('sql').description('warehouse SQL models (dbt layout in sql/)');
  withWarehouseFlags(
    sql.command('run').description('load the local lake, then build every model in dependency order'),
  ).action(async (flags: WarehouseFlags) => {
    process.exitCode = await runSql('run', flags);
  });
  withWarehouseFlags(sql.command('test').description('run the data tests beside the models')).action(
    async (flags: WarehouseFlags) => {
      process.exitCode = await runSql('test', flags);
    },
  );
  sql
    .command('check')
    .description('portability check: SQL that Redshift or PostgreSQL cannot run, with model and line')
    .option('--project <dir>', 'the dbt-layout SQL folder', 'sql')
    .action(async (flags: { project: string }) => {
      process.exitCode = await checkSql(flags.project);
    });
  sql
    .command('docs')
    .description('render model and column descriptions and example queries as Markdown')
    .option('--project <dir>', 'the dbt-layout SQL folder', 'sql')
    .option('--out <file>', 'write here instead of stdout')
    .action(async (flags: { project: string; out?: string }) => {
      const project = await loadProject(resolve(flags.project));
      const markdown = renderAnalystDocs(project);
      if (flags.out) await writeFile(flags.out, markdown);
      else process.stdout.write(markdown);
    });
}

async function checkSql(projectDir: string): Promise<number> {
  const project = await loadProject(resolve(projectDir));
  const { issues, failures } = checkProjectPortability(project, {});
  for (const f of failures) console.error(formatFailure(f));
  for (const i of issues) {
    const path = project.models.find((m) => m.name === i.model)?.path ?? i.model;
    console.error(`${path}:${i.line} model ${i.model}: not portable: ${i.construct}: ${i.reason}`);
  }
  if (issues.length === 0 && failures.length === 0)
    console.log(`${project.models.length} models portable to Redshift and PostgreSQL`);
  return issues.length === 0 && failures.length === 0 ? 0 : 1;
}

async function runSql(what: 'run' | 'test', flags: WarehouseFlags): Promise<number> {
  const options = runOptionsOf(flags, process.env);
  if (!options.ok) {
    console.error(options.error);
    return 2;
  }
  if (options.note) console.log(options.note);
  let project: Awaited<ReturnType<typeof loadProject>>;
  try {
    project = await loadProject(resolve(flags.project));
  } catch (error: unknown) {
    if (error instanceof ProjectError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const opened = await openWarehouse(flags, process.env, options.concurrency);
  if (!opened.ok) {
    console.error(opened.error);
    return 2;
  }
  const { warehouse } = opened;
  try {
    const runner = createSqlRunner(
      {
        schema: flags.schema,
        vars: options.vars,
        select: flags.select ? flags.select.split(',').map((s) => s.trim()) : [],
        fullRefresh: flags.fullRefresh ?? false,
        concurrency: options.concurrency,
      },
      { warehouse, project, log: (line) => console.log(line) },
    );
    if (what === 'test') {
      const result = await runner.test();
      const failed = result.results.filter((r) => r.failures > 0).length;
      if (!result.ok) for (const f of result.failures) console.error(formatFailure(f));
      console.log(
        `${result.results.length - failed} passed, ${failed + (result.ok ? 0 : result.failures.length)} failed`,
      );
      return result.ok ? 0 : 1;
    }
    if (opened.lakeDir) {
      const loaded = await createLakeLoader({ lakeDir: opened.lakeDir }, { warehouse }).load();
      console.log(
        `lake: ${loaded.files} new files, ${loaded.rows} rows, ${loaded.badLines.length} unreadable lines`,
      );
      for (const b of loaded.badLines.slice(0, 20)) console.error(`unreadable line ${b.file}:${b.line}`);
    }
    const result = await runner.run();
    if (!result.ok) {
      for (const f of result.failures) console.error(formatFailure(f));
      return 1;
    }
    console.log(`${result.built.length} models built`);
    return 0;
  } finally {
    await warehouse.close();
  }
}
