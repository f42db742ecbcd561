/**
 * A character scanner over SQL that knows where string literals, quoted identifiers and comments are,
 * so rewrites and checks look at code only.
 */

/** `code[i]` is true when position i is SQL code (not inside a literal, quoted name or comment). */
export function codeMask(sql: string): boolean[] {
  const mask = new Array<boolean>(sql.length).fill(true);
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    let end = -1;
    if (ch === "'" || ch === '"') {
      end = i + 1;
      while (end < sql.length) {
        if (sql[end] === ch && sql[end + 1] === ch) end += 2;
        else if (sql[end] === ch) break;
        else end++;
      }
      end++;
    } else if (ch === '-' && next === '-') {
      end = sql.indexOf('\n', i);
      if (end < 0) end = sql.length;
    } else if (ch === '/' && next === '*') {
      end = sql.indexOf('*/', i + 2);
      end = end < 0 ? sql.length : end + 2;
    } else if (ch === '$' && next === '$') {
      end = sql.indexOf('$$', i + 2);
      end = end < 0 ? sql.length : end + 2;
    }
    if (end > i) {
      for (let k = i; k < end; k++) mask[k] = false;
      i = end;
    } else i++;
  }
  return mask;
}

/** SQL with literals and comments blanked (same length, newlines kept): for pattern checks on code. */
export function codeOnly(sql: string): string {
  const mask = codeMask(sql);
  let out = '';
  for (let i = 0; i < sql.length; i++) out += mask[i] || sql[i] === '\n' ? sql[i] : ' ';
  return out;
}

/** Index of the `)` that closes the `(` at `open`, skipping literals and comments; -1 if unbalanced. */
export function closingParen(sql: string, open: number, mask: readonly boolean[] = codeMask(sql)): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    if (!mask[i]) continue;
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** 1-based line of a character index. */
export function lineOf(sql: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < sql.length; i++) if (sql[i] === '\n') line++;
  return line;
}

/** Splits a script into statements at top-level `;` (not inside literals, comments or `$$` bodies). */
export function splitStatements(sql: string): string[] {
  const mask = codeMask(sql);
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < sql.length; i++) {
    if (mask[i] && sql[i] === ';') {
      out.push(sql.slice(start, i));
      start = i + 1;
    }
  }
  out.push(sql.slice(start));
  return out.map((s) => s.trim()).filter((s) => codeOnly(s).trim() !== '');
}
