const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
let cachedDay = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()`, several times faster for the common case (a date since 1970): the
 * `YYYY-MM-DDT` prefix of the last day seen is reused and the time of day is formatted by table.
 */
export function formatIsoTime(ms: number): string {
  if (!(ms >= 0) || ms > 253402300799999) return new Date(ms).toISOString();
  const inDay = ms % DAY_MS;
  const day = ms - inDay;
  if (day !== cachedDay) {
    cachedPrefix = new Date(day).toISOString().slice(0, 11);
    cachedDay = day;
  }
  const h = Math.floor(inDay / 3_600_000);
  const m = Math.floor(inDay / 60_000) % 60;
  const s = Math.floor(inDay / 1000) % 60;
  return `${cachedPrefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[inDay % 1000]}Z`;
}

/** A parsed ISO-8601 time: ms since the epoch, and the canonical text (`toISOString`). */
export interface IsoTime {
  readonly ms: number;
  readonly iso: string;
}

/**
 * A parser of ISO-8601 texts that remembers the last one it saw: every event of a batch carries the
 * same `sentAt`. `undefined` for text `Date.parse` cannot read.
 */
export function createIsoTimeCache(): (text: string) => IsoTime | undefined {
  let lastText = '';
  let last: IsoTime | undefined;
  return (text) => {
    if (text === lastText) return last;
    const ms = Date.parse(text);
    lastText = text;
    last = Number.isFinite(ms) ? { ms, iso: formatIsoTime(ms) } : undefined;
    return last;
  };
}
