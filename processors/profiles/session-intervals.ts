/**
 * Open sessions as a flat sorted array of pairs `[first, last, first, last, ...]` (event times of the
 * first and last event of each session). Two events are in one session when the gap between them is at
 * most `gap` (their session windows `[t, t + gap)` overlap or touch, as the engine's session windows).
 */
export type SessionPairs = number[];

/** Adds an event time, merging (and possibly bridging) the sessions it touches. */
export function addSessionEvent(pairs: SessionPairs, t: number, gap: number): void {
  // Find the first pair that may touch t: scan from the end, since most events are recent.
  let i = pairs.length - 2;
  while (i >= 0 && (pairs[i + 1] as number) + gap >= t) i -= 2;
  // pairs[i+2 ..] all end at or after t - gap; those starting at or before t + gap merge with t.
  const from = i + 2;
  let j = from;
  let first = t;
  let last = t;
  while (j < pairs.length && (pairs[j] as number) - gap <= t) {
    if ((pairs[j] as number) < first) first = pairs[j] as number;
    if ((pairs[j + 1] as number) > last) last = pairs[j + 1] as number;
    j += 2;
  }
  if (j - from === 2) {
    pairs[from] = first;
    pairs[from + 1] = last;
  } else if (j === from && from === pairs.length)
    pairs.push(first, last); // a new latest session
  else pairs.splice(from, j - from, first, last);
}

/** The union of two pair lists, sessions within `gap` merged. */
export function unionSessions(a: SessionPairs, b: SessionPairs, gap: number): SessionPairs {
  if (b.length === 0) return a.slice();
  if (a.length === 0) return b.slice();
  const out: SessionPairs = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let first: number;
    let last: number;
    if (j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number))) {
      first = a[i] as number;
      last = a[i + 1] as number;
      i += 2;
    } else {
      first = b[j] as number;
      last = b[j + 1] as number;
      j += 2;
    }
    const n = out.length;
    if (n > 0 && (out[n - 1] as number) + gap >= first) {
      if (last > (out[n - 1] as number)) out[n - 1] = last;
    } else out.push(first, last);
  }
  return out;
}
