import type { WarehouseDialect } from '../../contracts/ports/warehouse';
import type { CompiledModel } from './model-graph';

/** Statements that build one model; `sqlStatement` is the index of the one holding the model's SQL. */
export interface BuildPlan {
  readonly statements: readonly string[];
  readonly sqlStatement: number;
  /** Lines the statement adds before the model's first line. */
  readonly prefixLines: number;
  /** Whether the statements must run as one transaction (incremental merges do). */
  readonly transactional: boolean;
}

/** `schema.name`, quoted only when it needs to be. */
export function relationName(schema: string, name: string): string {
  const q = (s: string) => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);
  return `${q(schema)}.${q(name)}`;
}

function redshiftTableOptions(model: CompiledModel, dialect: WarehouseDialect): string {
  if (dialect !== 'redshift') return '';
  const parts: string[] = [];
  if (model.dist === 'all' || model.dist === 'even' || model.dist === 'auto')
    parts.push(`diststyle ${model.dist}`);
  else if (model.dist) parts.push(`diststyle key distkey(${model.dist})`);
  if (model.sort.length > 0) parts.push(`sortkey(${model.sort.join(', ')})`);
  return parts.length === 0 ? '' : ` ${parts.join(' ')}`;
}

/** Drops whatever relation has the name (dependent views go too; they are rebuilt after it). */
export function dropRelation(kind: 'view' | 'table' | undefined, relation: string): string[] {
  if (kind === undefined) return [];
  return [`drop ${kind} if exists ${relation} cascade`];
}

/**
 * Statements for a view or a table: tables are built beside the old one and swapped in, so a failed
 * build leaves the previous table readable.
 */
export function planReplace(
  model: CompiledModel,
  sql: string,
  schema: string,
  dialect: WarehouseDialect,
  existing: 'view' | 'table' | undefined,
): BuildPlan {
  const relation = relationName(schema, model.name);
  if (model.materialized === 'view') {
    const binding = dialect === 'redshift' ? '\nwith no schema binding' : '';
    return {
      statements: [...dropRelation(existing, relation), `create view ${relation} as\n${sql}${binding}`],
      sqlStatement: existing === undefined ? 0 : 1,
      prefixLines: 1,
      transactional: false,
    };
  }
  const tmpName = `${model.name}__tributary_new`;
  const tmp = relationName(schema, tmpName);
  const unlogged = model.unlogged && dialect === 'postgres' ? 'unlogged ' : '';
  return {
    statements: [
      `drop table if exists ${tmp}`,
      `create ${unlogged}table ${tmp}${redshiftTableOptions(model, dialect)} as\n${sql}`,
      ...dropRelation(existing, relation),
      `alter table ${tmp} rename to ${model.name}`,
      // Fresh statistics, so the models built on this table get good join plans (Redshift: same word).
      `analyze ${relation}`,
    ],
    sqlStatement: 1,
    prefixLines: 1,
    transactional: false,
  };
}

/** Statements that merge the new rows of an incremental model into its table on `unique_key`. */
export function planMerge(model: CompiledModel, sql: string, schema: string): BuildPlan {
  const relation = relationName(schema, model.name);
  const staged = `${model.name}__tributary_delta`;
  const match = model.uniqueKey.map((k) => `${model.name}.${k} = ${staged}.${k}`).join(' and ');
  return {
    statements: [
      `create temp table ${staged} as\n${sql}`,
      `delete from ${relation} using ${staged} where ${match}`,
      `insert into ${relation} select * from ${staged}`,
      `drop table ${staged}`,
    ],
    sqlStatement: 0,
    prefixLines: 1,
    transactional: true,
  };
}
