/**
 * The dbt-compatible subset of Jinja that Tributary's models use, rendered without a Jinja engine:
 * `{{ ref('m') }}`, `{{ source('s', 't') }}`, `{{ config(k=v, ...) }}`, `{{ var('v'[, default]) }}`,
 * `{{ this }}`, `{# comments #}` and `{% if C %} ... {% else %} ... {% endif %}` where C is
 * `is_incremental()`, `not is_incremental()` or `target.type == 'redshift'` (`!=` too).
 *
 * Rendering keeps every line where it was (removed text leaves its newlines), so a line in the SQL the
 * database sees is the same line in the model file.
 */

/** A literal as it appears in `config(...)` / `var(...)` arguments. */
export type JinjaValue = string | number | boolean | null | readonly JinjaValue[];

/** What a model's template asks of its context. */
export interface RenderContext {
  ref(model: string): string;
  source(sourceName: string, table: string): string;
  var(name: string, fallback: JinjaValue | undefined): JinjaValue;
  readonly isIncremental: boolean;
  readonly targetType: 'redshift' | 'postgres';
  readonly self: string;
}

/** The rendered SQL, and the `config(...)` arguments found. */
export interface Rendered {
  readonly sql: string;
  readonly config: Readonly<Record<string, JinjaValue>>;
}

/** A template the subset cannot render; `line` is 1-based in the model file. */
export class TemplateError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

const lineAt = (text: string, index: number): number => text.slice(0, index).split('\n').length;
const newlinesOf = (text: string): string => text.replace(/[^\n]/g, '');

/** Splits `a, b=c, d=[1,2]` at top-level commas (outside quotes and brackets). */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const last = text.slice(start);
  if (last.trim() !== '') out.push(last);
  return out.map((s) => s.trim());
}

/** Parses a literal: quoted string, number, true/false/none, or a list of literals. */
export function parseLiteral(text: string): JinjaValue {
  const t = text.trim();
  if (/^'(?:[^'\\]|\\.)*'$/.test(t) || /^"(?:[^"\\]|\\.)*"$/.test(t)) {
    return t.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^(true|True)$/.test(t)) return true;
  if (/^(false|False)$/.test(t)) return false;
  if (/^(none|None|null)$/.test(t)) return null;
  if (t.startsWith('[') && t.endsWith(']')) return splitArgs(t.slice(1, -1)).map(parseLiteral);
  throw new Error(`not a literal: ${t}`);
}

function stringArg(args: string[], index: number, what: string): string {
  const value = args[index] === undefined ? undefined : parseLiteral(args[index] as string);
  if (typeof value !== 'string') throw new Error(`${what} needs a quoted name as argument ${index + 1}`);
  return value;
}

function renderValue(value: JinjaValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((v) => renderValue(v)).join(', ');
  return String(value);
}

function evalExpression(expr: string, ctx: RenderContext, config: Record<string, JinjaValue>): string {
  const call = /^([a-z_]+)\s*\(([\s\S]*)\)$/.exec(expr);
  if (expr === 'this') return ctx.self;
  if (!call) throw new Error(`unsupported expression {{ ${expr} }}`);
  const [, fn, argText] = call as unknown as [string, string, string];
  const args = splitArgs(argText);
  switch (fn) {
    case 'ref':
      return ctx.ref(stringArg(args, 0, 'ref()'));
    case 'source':
      return ctx.source(stringArg(args, 0, 'source()'), stringArg(args, 1, 'source()'));
    case 'var': {
      const name = stringArg(args, 0, 'var()');
      return renderValue(ctx.var(name, args[1] === undefined ? undefined : parseLiteral(args[1])));
    }
    case 'config':
      for (const arg of args) {
        const eq = arg.indexOf('=');
        if (eq <= 0) throw new Error(`config() takes key=value arguments, got ${arg}`);
        config[arg.slice(0, eq).trim()] = parseLiteral(arg.slice(eq + 1));
      }
      return '';
    default:
      throw new Error(`unsupported function ${fn}() (supported: ref, source, config, var)`);
  }
}

function evalCondition(cond: string, ctx: RenderContext): boolean {
  const c = cond.trim();
  if (c === 'is_incremental()') return ctx.isIncremental;
  if (c === 'not is_incremental()') return !ctx.isIncremental;
  const target = /^target\.type\s*(==|!=)\s*(['"])(\w+)\2$/.exec(c);
  if (target) return (ctx.targetType === target[3]) === (target[1] === '==');
  throw new Error(`unsupported condition {% if ${c} %}`);
}

interface Frame {
  readonly keep: boolean;
  readonly parentKeep: boolean;
  readonly line: number;
  elseSeen: boolean;
}

/** Renders one model template in a context; throws {@link TemplateError} with the model file's line. */
export function renderTemplate(template: string, ctx: RenderContext): Rendered {
  const config: Record<string, JinjaValue> = {};
  const tag = /\{\{-?([\s\S]*?)-?\}\}|\{%-?([\s\S]*?)-?%\}|\{#[\s\S]*?#\}/g;
  const stack: Frame[] = [];
  const keeping = () => stack.every((f) => f.keep);
  let out = '';
  let last = 0;
  for (let m = tag.exec(template); m !== null; m = tag.exec(template)) {
    const line = lineAt(template, m.index);
    const literal = template.slice(last, m.index);
    out += keeping() ? literal : newlinesOf(literal);
    last = m.index + m[0].length;
    try {
      if (m[1] !== undefined) {
        const value = keeping() ? evalExpression(m[1].trim(), ctx, config) : '';
        out += value + newlinesOf(m[0]);
      } else if (m[2] !== undefined) {
        const stmt = m[2].trim();
        out += newlinesOf(m[0]);
        const ifMatch = /^if\s+([\s\S]+)$/.exec(stmt);
        if (ifMatch) {
          const parentKeep = keeping();
          stack.push({ keep: evalCondition(ifMatch[1] as string, ctx), parentKeep, line, elseSeen: false });
        } else if (stmt === 'else') {
          const top = stack.pop();
          if (!top || top.elseSeen) throw new Error('{% else %} without {% if %}');
          stack.push({ keep: !top.keep, parentKeep: top.parentKeep, line: top.line, elseSeen: true });
        } else if (stmt === 'endif') {
          if (!stack.pop()) throw new Error('{% endif %} without {% if %}');
        } else {
          throw new Error(`unsupported statement {% ${stmt} %} (supported: if/else/endif)`);
        }
      } else {
        out += newlinesOf(m[0]);
      }
    } catch (error: unknown) {
      throw new TemplateError(error instanceof Error ? error.message : String(error), line);
    }
  }
  const rest = template.slice(last);
  out += keeping() ? rest : newlinesOf(rest);
  const open = stack.pop();
  if (open) throw new TemplateError('{% if %} is never closed with {% endif %}', open.line);
  return { sql: out, config };
}
