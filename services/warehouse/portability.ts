import { codeOnly, lineOf } from './sql-scan';

/** One construct that one of the two targets (Redshift, PostgreSQL with shims) cannot run. */
export interface PortabilityIssue {
  readonly model: string;
  readonly line: number;
  readonly construct: string;
  readonly reason: string;
}

interface Rule {
  readonly pattern: RegExp;
  readonly construct: string;
  readonly reason: string;
}

const RULES: readonly Rule[] = [
  {
    pattern: /::\s*jsonb?\b|\bjsonb\b/gi,
    construct: 'json/jsonb type',
    reason: 'Redshift has no json types; keep JSON as varchar and use json_extract_path_text',
  },
  {
    pattern: /->>?/g,
    construct: '-> / ->>',
    reason: 'PostgreSQL JSON operators do not exist in Redshift; use json_extract_path_text',
  },
  {
    pattern: /\bstring_agg\s*\(/gi,
    construct: 'string_agg',
    reason: 'not in Redshift; write listagg(x, d) within group (order by ...)',
  },
  { pattern: /\barray_agg\s*\(/gi, construct: 'array_agg', reason: 'not in Redshift' },
  {
    pattern: /\bgenerate_series\s*\(/gi,
    construct: 'generate_series',
    reason: 'runs only on the Redshift leader node',
  },
  {
    pattern: /\bdistinct\s+on\s*\(/gi,
    construct: 'distinct on',
    reason: 'not in Redshift; use row_number() over (...) = 1',
  },
  {
    pattern: /\bfilter\s*\(\s*where\b/gi,
    construct: 'aggregate filter',
    reason: 'not in Redshift; use sum(case when ... end)',
  },
  { pattern: /\bon\s+conflict\b/gi, construct: 'on conflict', reason: 'not in Redshift' },
  { pattern: /\blateral\b/gi, construct: 'lateral', reason: 'not in Redshift' },
  {
    pattern: /\bunnest\s*\(|\bjson_array_elements\w*\s*\(|\bjson_build_\w+\s*\(/gi,
    construct: 'PostgreSQL set/JSON function',
    reason: 'not in Redshift',
  },
  { pattern: /\bnow\s*\(\s*\)/gi, construct: 'now()', reason: 'use getdate() (shimmed on PostgreSQL)' },
  { pattern: /\bsysdate\b/gi, construct: 'sysdate', reason: 'not in PostgreSQL; use getdate()' },
  {
    pattern: /\bsuper\b|\bjson_parse\s*\(/gi,
    construct: 'SUPER',
    reason: 'Redshift-only type; keep JSON as varchar',
  },
  {
    pattern: /\bqualify\b/gi,
    construct: 'qualify',
    reason: 'not in PostgreSQL; filter row_number() in an outer query',
  },
  { pattern: /\bselect\s+top\s+\d/gi, construct: 'top N', reason: 'not in PostgreSQL; use limit' },
  {
    pattern: /\b(nvl2|decode|convert_timezone|ratio_to_report|median)\s*\(/gi,
    construct: 'Redshift-only function',
    reason: 'no PostgreSQL shim; write it with case/coalesce',
  },
  { pattern: /\bapproximate\b/gi, construct: 'approximate', reason: 'Redshift-only' },
  {
    pattern: /\b(dateadd|datediff|date_add|date_diff)\s*\(\s*[a-z]/gi,
    construct: 'unquoted date part',
    reason: "quote the part: dateadd('day', n, ts) (the PostgreSQL shim takes text)",
  },
  {
    pattern: /\b(distkey|sortkey|diststyle|encode\s+\w+)\b/gi,
    construct: 'DIST/SORT in SQL',
    reason: 'put dist/sort in config(), the runner adds them on Redshift only',
  },
  {
    pattern: /\blistagg\s*\([^)]*\)\s*over\b/gi,
    construct: 'listagg as a window function',
    reason: 'no PostgreSQL rewrite',
  },
  {
    pattern: /\b(create|insert|update|delete|drop|alter|grant|truncate)\s+/gi,
    construct: 'DDL/DML in a model',
    reason: 'a model is one select; the runner materializes it',
  },
  {
    pattern: /\bilike\s+any\b|\bsimilar\s+to\b/gi,
    construct: 'ilike any / similar to',
    reason: 'not portable',
  },
];

/** Finds constructs in a rendered model that Redshift or PostgreSQL-with-shims cannot run. */
export function checkPortability(model: string, renderedSql: string): PortabilityIssue[] {
  const code = codeOnly(renderedSql);
  const issues: PortabilityIssue[] = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (let m = rule.pattern.exec(code); m !== null; m = rule.pattern.exec(code)) {
      issues.push({ model, line: lineOf(code, m.index), construct: rule.construct, reason: rule.reason });
    }
  }
  return issues.sort((a, b) => a.line - b.line);
}
