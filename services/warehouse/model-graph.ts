import { type JinjaValue, renderTemplate, TemplateError } from './jinja-subset';
import type { ModelFile, Project } from './project';

/** How a model is built. */
export type Materialization = 'view' | 'table' | 'incremental';

/** A model with its resolved config and the models it reads. */
export interface CompiledModel {
  readonly file: ModelFile;
  readonly name: string;
  readonly materialized: Materialization;
  readonly uniqueKey: readonly string[];
  readonly dist: string | undefined;
  readonly sort: readonly string[];
  /** dbt-postgres's `unlogged`: on PostgreSQL the table skips the write-ahead log (Redshift ignores it). */
  readonly unlogged: boolean;
  readonly refs: readonly string[];
  readonly sources: readonly (readonly [string, string])[];
}

/** A problem found while compiling the project (before anything runs). */
export interface CompileProblem {
  readonly model: string;
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

/** Models in build order (every model after the models it reads), or the problems found. */
export type CompileResult =
  | { readonly ok: true; readonly models: readonly CompiledModel[] }
  | { readonly ok: false; readonly problems: readonly CompileProblem[] };

const asList = (v: JinjaValue | unknown): string[] =>
  v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)];

/** Reads refs, sources and config of every model and orders them by dependency (cycles are problems). */
export function compileProject(project: Project, vars: Readonly<Record<string, unknown>>): CompileResult {
  const names = new Set(project.models.map((m) => m.name));
  const declaredSources = new Set(project.sources.flatMap((s) => s.tables.map((t) => `${s.name}.${t.name}`)));
  const problems: CompileProblem[] = [];
  const compiled = new Map<string, CompiledModel>();
  for (const file of project.models) {
    const refs: string[] = [];
    const sources: [string, string][] = [];
    try {
      const { config } = renderTemplate(file.template, {
        ref(model) {
          if (!names.has(model)) throw new Error(`ref('${model}'): no model named ${model}`);
          if (!refs.includes(model)) refs.push(model);
          return model;
        },
        source(sourceName, table) {
          if (!declaredSources.has(`${sourceName}.${table}`)) {
            throw new Error(`source('${sourceName}', '${table}') is not declared in a schema yml`);
          }
          sources.push([sourceName, table]);
          return table;
        },
        var(name, fallback) {
          if (name in vars) return vars[name] as JinjaValue;
          if (fallback !== undefined) return fallback;
          throw new Error(`var('${name}') is not defined (dbt_project.yml vars or --vars)`);
        },
        isIncremental: false,
        targetType: 'postgres',
        self: file.name,
      });
      const merged = { ...file.defaults, ...config } as Record<string, JinjaValue | undefined>;
      const materialized = (merged.materialized ?? 'view') as Materialization;
      if (!['view', 'table', 'incremental'].includes(materialized)) {
        throw new TemplateError(
          `materialized='${String(materialized)}' is not view, table or incremental`,
          1,
        );
      }
      const uniqueKey = asList(merged.unique_key);
      if (materialized === 'incremental' && uniqueKey.length === 0) {
        throw new TemplateError('an incremental model needs unique_key in config()', 1);
      }
      compiled.set(file.name, {
        file,
        name: file.name,
        materialized,
        uniqueKey,
        dist: merged.dist === undefined || merged.dist === null ? undefined : String(merged.dist),
        sort: asList(merged.sort),
        unlogged: merged.unlogged === true || merged.unlogged === 'true',
        refs,
        sources,
      });
    } catch (error: unknown) {
      const line = error instanceof TemplateError ? error.line : 1;
      problems.push({ model: file.name, path: file.path, line, message: (error as Error).message });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const order: CompiledModel[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    const model = compiled.get(name) as CompiledModel;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name].join(' -> ');
      problems.push({ model: name, path: model.file.path, line: 1, message: `dependency cycle: ${cycle}` });
      return;
    }
    state.set(name, 'visiting');
    for (const r of model.refs) visit(r, [...path, name]);
    state.set(name, 'done');
    order.push(model);
  };
  for (const m of [...compiled.keys()].sort()) visit(m, []);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, models: order };
}

/** The selected models plus every model downstream of them, in build order. */
export function withDescendants(
  models: readonly CompiledModel[],
  selected: readonly string[],
): CompiledModel[] {
  const keep = new Set(selected);
  for (const m of models) if (m.refs.some((r) => keep.has(r))) keep.add(m.name);
  return models.filter((m) => keep.has(m.name));
}
