import type { ProfileAccumulator } from './accumulator';
import { DAY_MS, type ProfileConfig } from './profile-config';

type Settings = Pick<
  ProfileConfig,
  'sessionGapMs' | 'sessionAllowedLatenessMs' | 'dailyAllowedLatenessMs' | 'activityTtlMs'
>;

/**
 * Window cleanup, as the engine does at `maxTimestamp + allowedLateness`: day buckets and sessions past
 * their allowed lateness at `watermark` (a finite watermark) are dropped, sessions counted into
 * `closedSessions` first. Sessions are closed over the union of the slices of one profile (the
 * accumulators of its identifiers), so a session that spans two identifiers counts once; it is counted
 * in the slice that holds its first event (ties: the first slice in `slices` order). Recent-activity
 * items older than `activityTtlMs` at `nowMs` are dropped. Mutates the slices.
 */
export function expireState(
  slices: readonly ProfileAccumulator[],
  watermark: number,
  nowMs: number,
  settings: Settings,
): void {
  const gap = settings.sessionGapMs;
  const sessionHorizon = watermark - settings.sessionAllowedLatenessMs - gap + 1;
  const dayHorizon = watermark - settings.dailyAllowedLatenessMs + 1;
  const activityHorizon = new Date(nowMs - settings.activityTtlMs).toISOString();
  for (const acc of slices) {
    let d = 0;
    while (d < acc.daily.length && ((acc.daily[d]?.day ?? 0) + 1) * DAY_MS <= dayHorizon) d++;
    if (d > 0) acc.daily.splice(0, d);
    let r = acc.recent.length;
    while (r > 0 && (acc.recent[r - 1]?.timestamp ?? '') < activityHorizon) r--;
    if (r < acc.recent.length) acc.recent.length = r;
  }
  if (slices.length === 1) {
    const acc = slices[0] as ProfileAccumulator;
    let i = 0;
    while (i < acc.sessions.length && (acc.sessions[i + 1] as number) <= sessionHorizon) {
      acc.closedSessions++;
      acc.closedSessionMs += (acc.sessions[i + 1] as number) - (acc.sessions[i] as number);
      i += 2;
    }
    if (i > 0) acc.sessions.splice(0, i);
    return;
  }
  // Several slices. A group of sessions closes only when all its sessions ended by the horizon, so
  // nothing closes unless some slice's earliest session did (each slice's pairs ascend).
  let mayClose = false;
  for (const acc of slices)
    if (acc.sessions.length > 0 && (acc.sessions[1] as number) <= sessionHorizon) mayClose = true;
  if (!mayClose) return;
  // Sweep all pairs in time order, grouping those within the gap.
  const all: [first: number, last: number, slice: number][] = [];
  slices.forEach((acc, s) => {
    for (let i = 0; i < acc.sessions.length; i += 2)
      all.push([acc.sessions[i] as number, acc.sessions[i + 1] as number, s]);
  });
  if (all.length === 0) return;
  all.sort((x, y) => x[0] - y[0] || x[2] - y[2]);
  const closing = new Set<number>(); // indexes into `all`
  let start = 0;
  while (start < all.length) {
    const head = all[start] as [number, number, number];
    let last = head[1];
    let end = start + 1;
    while (end < all.length && (all[end] as [number, number, number])[0] <= last + gap) {
      last = Math.max(last, (all[end] as [number, number, number])[1]);
      end++;
    }
    if (last <= sessionHorizon) {
      const owner = slices[head[2]] as ProfileAccumulator;
      owner.closedSessions++;
      owner.closedSessionMs += last - head[0];
      for (let k = start; k < end; k++) closing.add(k);
    }
    start = end;
  }
  if (closing.size === 0) return;
  const keep: number[][] = slices.map(() => []);
  all.forEach(([first, last, s], k) => {
    if (!closing.has(k)) keep[s]?.push(first, last);
  });
  slices.forEach((acc, s) => {
    acc.sessions = keep[s] as number[];
  });
}
