import { z } from 'zod';
import { type Warehouse, WarehouseQueryError } from '../../contracts/ports/warehouse';
import { genericTestSql } from './data-tests';
import { type JinjaValue, renderTemplate, TemplateError } from './jinja-subset';
import { type BuildPlan, planMerge, planReplace, relationName } from './materialize';
import { type CompiledModel, compileProject, withDescendants } from './model-graph';
import { checkPortability, type PortabilityIssue } from './portability';
import { redshiftShimsSql, toPostgres } from './postgres-dialect';
import type { Project } from './project';
import { externalSchemaSql, SpectrumSchemaConfig } from './spectrum-schema';
import { lineOf, splitStatements } from './sql-scan';

/** Settings of one run of the SQL project. */
export const SqlRunConfig = z.object({
  /** Schema the models are built in. */
  schema: z.string().min(1).default('analytics'),
  /** Schema of each source (default: the source's `schema` in yml, else its name). */
  sourceSchemas: z.record(z.string(), z.string()).default({}),
  /** Redshift: the Spectrum schema over the Glue catalog, created before the models (ignored locally). */
  spectrum: SpectrumSchemaConfig.optional(),
  /** Overrides of `dbt_project.yml` vars. */
  vars: z.record(z.string(), z.unknown()).default({}),
  /** Build only these models and everything downstream of them. */
  select: z.array(z.string()).default([]),
  /** Rebuild incremental models from scratch. */
  fullRefresh: z.boolean().default(false),
  /** Refuse to run SQL that Redshift or PostgreSQL cannot both run. */
  portabilityCheck: z.boolean().default(true),
  /**
   * Models built at once: a model starts when every model it reads is built. PostgreSQL runs a window
   * function or a write on one core, so independent models (the marts over int_profile_events) keep
   * a second core busy. Needs as many connections (PGlite has one: keep 1).
   */
  concurrency: z.number().int().min(1).default(1),
});
export type SqlRunConfig = z.input<typeof SqlRunConfig>;

/** What the runner needs. */
export interface SqlRunnerDeps {
  readonly warehouse: Warehouse;
  readonly project: Project;
  /** Progress lines (model built, test passed); never data. */
  readonly log?: (line: string) => void;
}

/** A model that failed to build or compile: which model, which line of its file, and why. */
export interface ModelFailure {
  readonly model: string;
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

/** One built model. */
export interface BuiltModel {
  readonly name: string;
  readonly materialized: string;
  readonly mode: 'created' | 'replaced' | 'merged';
  readonly ms: number;
}

/** One data test's outcome. */
export interface DataTestResult {
  readonly name: string;
  readonly model: string;
  readonly failures: number;
}

/** Outcome of `run`: the built models, or why it stopped (nothing after a failure is built). */
export type SqlRunResult =
  | { readonly ok: true; readonly built: readonly BuiltModel[] }
  | {
      readonly ok: false;
      readonly reason: 'compile' | 'portability' | 'database';
      readonly failures: readonly ModelFailure[];
      readonly portability?: readonly PortabilityIssue[];
      readonly built: readonly BuiltModel[];
    };

/** Outcome of `test`. */
export type SqlTestResult =
  | { readonly ok: true; readonly results: readonly DataTestResult[] }
  | {
      readonly ok: false;
      readonly results: readonly DataTestResult[];
      readonly failures: readonly ModelFailure[];
    };

/** One line per failure, `path:line model: message`, the form editors and CI logs link. */
export function formatFailure(f: ModelFailure): string {
  return `${f.path}:${f.line} model ${f.model}: ${f.message}`;
}

/**
 * Every construct in the project's models that Redshift or PostgreSQL-with-shims cannot run, for both
 * renderings of incremental models; no database needed.
 */
export function checkProjectPortability(
  project: Project,
  input: SqlRunConfig,
): { issues: PortabilityIssue[]; failures: ModelFailure[] } {
  const config = SqlRunConfig.parse(input);
  const vars: Record<string, unknown> = { ...project.file.vars, ...config.vars };
  const compiled = compileProject(project, vars);
  if (!compiled.ok) return { issues: [], failures: [...compiled.problems] };
  const sourceSchema = (name: string): string =>
    config.sourceSchemas[name] ?? project.sources.find((s) => s.name === name)?.schema ?? name;
  const issues: PortabilityIssue[] = [];
  for (const m of compiled.models) {
    const raw = (inc: boolean) =>
      renderTemplate(m.file.template, {
        ref: (x) => relationName(config.schema, x),
        source: (s, t) => relationName(sourceSchema(s), t),
        var: (name, fallback) => (name in vars ? (vars[name] as JinjaValue) : (fallback ?? null)),
        isIncremental: inc,
        targetType: 'redshift',
        self: m.name,
      }).sql;
    const seen = new Set<string>();
    for (const inc of m.materialized === 'incremental' ? [false, true] : [false]) {
      for (const issue of checkPortability(m.name, raw(inc))) {
        const key = `${issue.line}:${issue.construct}`;
        if (!seen.has(key)) issues.push(issue);
        seen.add(key);
      }
    }
  }
  return { issues, failures: [] };
}

/** Builds and tests a dbt-layout SQL project on a warehouse (Redshift or PostgreSQL). */
export function createSqlRunner(input: SqlRunConfig, deps: SqlRunnerDeps) {
  const config = SqlRunConfig.parse(input);
  const { warehouse, project } = deps;
  const log = deps.log ?? (() => undefined);
  const vars: Record<string, unknown> = { ...project.file.vars, ...config.vars };
  const sourceSchema = (name: string): string =>
    config.sourceSchemas[name] ?? project.sources.find((s) => s.name === name)?.schema ?? name;

  const render = (model: CompiledModel, isIncremental: boolean): string => {
    const { sql } = renderTemplate(model.file.template, {
      ref: (m) => relationName(config.schema, m),
      source: (s, t) => relationName(sourceSchema(s), t),
      var: (name, fallback) => (name in vars ? (vars[name] as JinjaValue) : (fallback ?? null)),
      isIncremental,
      targetType: warehouse.dialect,
      self: relationName(config.schema, model.name),
    });
    const body = sql.replace(/;\s*$/, '');
    return warehouse.dialect === 'postgres' ? toPostgres(body) : body;
  };

  const existingKind = async (name: string): Promise<'view' | 'table' | undefined> => {
    const r = await warehouse.query(
      'select table_type from information_schema.tables where table_schema = $1 and table_name = $2',
      [config.schema, name],
    );
    const type = r.rows[0]?.table_type;
    return type === undefined ? undefined : type === 'VIEW' ? 'view' : 'table';
  };

  const installShims = async (): Promise<void> => {
    if (warehouse.dialect !== 'postgres') return;
    for (const statement of splitStatements(redshiftShimsSql())) await warehouse.query(statement);
  };

  const prepare = async (): Promise<void> => {
    await installShims();
    if (warehouse.dialect === 'redshift' && config.spectrum !== undefined)
      await warehouse.query(externalSchemaSql(config.spectrum));
    await warehouse.query(`create schema if not exists ${config.schema}`);
  };

  const execute = async (model: CompiledModel, plan: BuildPlan): Promise<ModelFailure | undefined> => {
    let index = 0;
    try {
      if (plan.transactional) {
        index = plan.sqlStatement;
        await warehouse.batch(plan.statements);
      } else {
        for (; index < plan.statements.length; index++)
          await warehouse.query(plan.statements[index] as string);
      }
      return undefined;
    } catch (error: unknown) {
      if (!(error instanceof WarehouseQueryError)) throw error;
      const statement = plan.statements[index] ?? '';
      const inModel = index === plan.sqlStatement && error.position !== undefined;
      const line = inModel
        ? Math.max(1, lineOf(statement, (error.position as number) - 1) - plan.prefixLines)
        : 1;
      return { model: model.name, path: model.file.path, line, message: error.message };
    }
  };

  const compileAll = () => {
    const compiled = compileProject(project, vars);
    if (!compiled.ok) return compiled;
    const models =
      config.select.length === 0 ? compiled.models : withDescendants(compiled.models, config.select);
    return { ok: true as const, models };
  };

  return {
    /** Models in build order with their SQL rendered for this target (no database access). */
    compile():
      | { ok: true; models: { name: string; sql: string }[] }
      | { ok: false; failures: ModelFailure[] } {
      const compiled = compileAll();
      if (!compiled.ok) return { ok: false, failures: [...compiled.problems] };
      return { ok: true, models: compiled.models.map((m) => ({ name: m.name, sql: render(m, false) })) };
    },

    /** Every portability issue of every model (both renderings: full and incremental). */
    checkPortability(): { issues: PortabilityIssue[]; failures: ModelFailure[] } {
      return checkProjectPortability(project, config);
    },

    /** Builds the models in dependency order; stops at the first model that fails. */
    async run(): Promise<SqlRunResult> {
      const compiled = compileAll();
      if (!compiled.ok) return { ok: false, reason: 'compile', failures: compiled.problems, built: [] };
      if (config.portabilityCheck) {
        const { issues } = this.checkPortability();
        if (issues.length > 0) {
          const failures = issues.map((i) => ({
            model: i.model,
            path: compiled.models.find((m) => m.name === i.model)?.file.path ?? i.model,
            line: i.line,
            message: `not portable: ${i.construct}: ${i.reason}`,
          }));
          return { ok: false, reason: 'portability', failures, portability: issues, built: [] };
        }
      }
      await prepare();
      const built: BuiltModel[] = [];
      const buildOne = async (model: CompiledModel): Promise<SqlRunResult | undefined> => {
        const started = Date.now();
        const existing = await existingKind(model.name);
        const merge = model.materialized === 'incremental' && existing === 'table' && !config.fullRefresh;
        let plan: BuildPlan;
        try {
          plan = merge
            ? planMerge(model, render(model, true), config.schema)
            : planReplace(model, render(model, false), config.schema, warehouse.dialect, existing);
        } catch (error: unknown) {
          const line = error instanceof TemplateError ? error.line : 1;
          const failure = {
            model: model.name,
            path: model.file.path,
            line,
            message: (error as Error).message,
          };
          return { ok: false, reason: 'compile', failures: [failure], built };
        }
        const failure = await execute(model, plan);
        if (failure) {
          log(`FAIL ${formatFailure(failure)}`);
          return { ok: false, reason: 'database', failures: [failure], built };
        }
        const mode = merge ? 'merged' : existing === undefined ? 'created' : 'replaced';
        built.push({ name: model.name, materialized: model.materialized, mode, ms: Date.now() - started });
        log(
          `built ${model.materialized} ${config.schema}.${model.name} (${mode}, ${Date.now() - started} ms)`,
        );
        return undefined;
      };
      // Models in build order; each starts once the selected models it reads are built. After a
      // failure nothing new starts; the ones already running finish.
      const selected = new Set(compiled.models.map((m) => m.name));
      const done = new Set<string>();
      const waiting = [...compiled.models];
      const running = new Map<string, Promise<{ name: string; result: SqlRunResult | undefined }>>();
      let stopped: SqlRunResult | undefined;
      while (waiting.length > 0 || running.size > 0) {
        while (stopped === undefined && running.size < config.concurrency) {
          const i = waiting.findIndex((m) => m.refs.every((r) => done.has(r) || !selected.has(r)));
          if (i < 0) break;
          const [model] = waiting.splice(i, 1) as [CompiledModel];
          running.set(
            model.name,
            buildOne(model).then((result) => ({ name: model.name, result })),
          );
        }
        if (running.size === 0) break;
        const { name, result } = await Promise.race(running.values());
        running.delete(name);
        done.add(name);
        if (result && stopped === undefined) stopped = result;
      }
      if (stopped) return stopped;
      return { ok: true, built };
    },

    /** Runs the data tests of the schema yml files and the singular tests; each counts failing rows. */
    async test(): Promise<SqlTestResult> {
      const compiled = compileAll();
      if (!compiled.ok) return { ok: false, results: [], failures: [...compiled.problems] };
      const selected = new Set(compiled.models.map((m) => m.name));
      const resolveRef = (expr: string) => {
        const m = /^ref\(\s*['"]([^'"]+)['"]\s*\)$/.exec(expr.trim());
        return relationName(config.schema, m ? (m[1] as string) : expr);
      };
      const tests: { name: string; model: string; path: string; sql: string }[] = [];
      for (const model of compiled.models) {
        const doc = model.file.doc;
        if (!doc) continue;
        const relation = relationName(config.schema, model.name);
        for (const column of doc.columns) {
          for (const spec of [...column.data_tests, ...column.tests]) {
            const t = genericTestSql(spec, relation, column.name, resolveRef);
            tests.push({
              name: `${t.kind}_${model.name}_${column.name}`,
              model: model.name,
              path: model.file.path,
              sql: t.sql,
            });
          }
        }
      }
      for (const t of project.singularTests) {
        const { sql } = renderTemplate(t.template, {
          ref: (m) => relationName(config.schema, m),
          source: (s, tb) => relationName(sourceSchema(s), tb),
          var: (name, fallback) => (name in vars ? (vars[name] as JinjaValue) : (fallback ?? null)),
          isIncremental: false,
          targetType: warehouse.dialect,
          self: t.name,
        });
        const body = sql.replace(/;\s*$/, '');
        const pgBody = warehouse.dialect === 'postgres' ? toPostgres(body) : body;
        if (config.select.length === 0 || [...selected].some((m) => body.includes(m))) {
          tests.push({
            name: t.name,
            model: t.name,
            path: t.path,
            sql: `select count(*) as failures from (\n${pgBody}\n) singular`,
          });
        }
      }
      await installShims();
      const results: DataTestResult[] = [];
      const failures: ModelFailure[] = [];
      for (const t of tests) {
        try {
          const r = await warehouse.query(t.sql);
          const count = Number(r.rows[0]?.failures ?? 0);
          results.push({ name: t.name, model: t.model, failures: count });
          log(`${count === 0 ? 'pass' : 'FAIL'} ${t.name}${count === 0 ? '' : ` (${count} failing rows)`}`);
        } catch (error: unknown) {
          if (!(error instanceof WarehouseQueryError)) throw error;
          failures.push({ model: t.model, path: t.path, line: 1, message: `${t.name}: ${error.message}` });
        }
      }
      const ok = failures.length === 0 && results.every((r) => r.failures === 0);
      return ok ? { ok: true, results } : { ok: false, results, failures };
    },
  };
}

/** A runner as {@link createSqlRunner} makes it. */
export type SqlRunner = ReturnType<typeof createSqlRunner>;
