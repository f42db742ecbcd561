import { type DateFormatToken, tokenizeDateFormat } from '../../contracts/import-mapping';

/** A parsed calendar date and time of day (UTC). */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** Reads one date format: the parts, `no-match` when the shape differs, `not-a-date` when impossible. */
export type DateReader = (text: string) => DateParts | 'no-match' | 'not-a-date';

const TOKEN_PATTERN: Record<DateFormatToken, string> = {
  yyyy: '([0-9]{4})',
  SSS: '([0-9]{3})',
  MM: '([0-9]{2})',
  dd: '([0-9]{2})',
  HH: '([0-9]{2})',
  mm: '([0-9]{2})',
  ss: '([0-9]{2})',
  M: '([0-9]{1,2})',
  d: '([0-9]{1,2})',
  H: '([0-9]{1,2})',
};

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Compiles a format checked by `checkImportMapping` (`yyyy-MM-dd`, `M/d/yyyy HH:mm`, ...) into a reader. */
export function compileDateFormat(format: string): DateReader {
  const parts = tokenizeDateFormat(format);
  if (!parts) throw new Error(`invalid date format ${format}`);
  const tokens: DateFormatToken[] = [];
  let source = '^';
  for (const p of parts) {
    if ('token' in p) {
      tokens.push(p.token);
      source += TOKEN_PATTERN[p.token];
    } else source += p.literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  const re = new RegExp(`${source}$`);
  return (text) => {
    const m = re.exec(text);
    if (!m) return 'no-match';
    const d: DateParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, millisecond: 0 };
    tokens.forEach((t, i) => {
      const n = Number(m[i + 1]);
      if (t === 'yyyy') d.year = n;
      else if (t === 'MM' || t === 'M') d.month = n;
      else if (t === 'dd' || t === 'd') d.day = n;
      else if (t === 'HH' || t === 'H') d.hour = n;
      else if (t === 'mm') d.minute = n;
      else if (t === 'ss') d.second = n;
      else d.millisecond = n;
    });
    if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(d.year, d.month))
      return 'not-a-date';
    if (d.hour > 23 || d.minute > 59 || d.second > 59) return 'not-a-date';
    return d;
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD`. */
export function formatDate(d: DateParts): string {
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

/** `YYYY-MM-DDTHH:mm:ss.SSSZ`. */
export function formatDateTime(d: DateParts): string {
  return `${formatDate(d)}T${pad(d.hour, 2)}:${pad(d.minute, 2)}:${pad(d.second, 2)}.${pad(d.millisecond, 3)}Z`;
}
