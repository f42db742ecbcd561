import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closingParen, codeMask } from './sql-scan';

/** The shim functions (`getdate`, `nvl`, `dateadd`, `datediff`, JSON on varchar, `sha2`) for PostgreSQL. */
export function redshiftShimsSql(): string {
  // Beside this file in the sources; from dist/, the sources' copy (tsc does not copy .sql files).
  const candidates = [
    join(__dirname, 'redshift-shims.sql'),
    join(__dirname, '..', '..', '..', 'services', 'warehouse', 'redshift-shims.sql'),
  ];
  const found = candidates.find((p) => existsSync(p)) ?? (candidates[0] as string);
  return readFileSync(found, 'utf8');
}

/**
 * Rewrites Redshift's `listagg(x, d) within group (order by y)` into PostgreSQL's
 * `string_agg(x, d order by y)` (line breaks kept, so error lines still match the model file).
 */
export function rewriteListagg(sql: string): string {
  let out = sql;
  for (;;) {
    const mask = codeMask(out);
    const re = /\blistagg\s*\(/gi;
    let m: RegExpExecArray | null = re.exec(out);
    while (m !== null && !mask[m.index]) m = re.exec(out);
    if (m === null) return out;
    const open = m.index + m[0].length - 1;
    const close = closingParen(out, open, mask);
    if (close < 0) return out;
    const args = out.slice(open + 1, close);
    const after = out.slice(close + 1);
    const within = /^(\s*)within\s+group\s*\(/i.exec(after);
    if (within) {
      const wOpen = close + 1 + within[0].length - 1;
      const wClose = closingParen(out, wOpen, codeMask(out));
      const order = out.slice(wOpen + 1, wClose);
      const hasDelimiter = /,/.test(args);
      out = `${out.slice(0, m.index)}string_agg(${args}${hasDelimiter ? '' : ", ''"} ${order})${within[1]?.replace(/[^\n]/g, '')}${out.slice(wClose + 1)}`;
    } else {
      const hasDelimiter = /,/.test(args);
      out = `${out.slice(0, m.index)}string_agg(${args}${hasDelimiter ? '' : ", ''"})${out.slice(close + 1)}`;
    }
  }
}

/** Redshift model SQL as PostgreSQL runs it (the shims do the rest at run time). */
export function toPostgres(sql: string): string {
  return rewriteListagg(sql);
}
