import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { type HorizonFigures, horizonFigures, utcDay } from '../../contracts/profile-figures';

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/**
 * What a rule reads: the profile, its recent activity and the moment of evaluation, with the
 * time-relative figures computed on first use and kept for the rest of this evaluation.
 */
export class EvaluationContext {
  private readonly horizons = new Map<number, HorizonFigures>();
  private todayEventCount: number | undefined;

  constructor(
    readonly document: ProfileDocument,
    readonly activity: readonly ActivityItem[],
    readonly nowMs: number,
  ) {}

  /** Purchases, revenue and page views over today and the `days - 1` days before (as the Profile API reads them). */
  horizon(days: number): HorizonFigures {
    let figures = this.horizons.get(days);
    if (figures === undefined) {
      figures = horizonFigures(this.document.daily, this.nowMs, days);
      this.horizons.set(days, figures);
    }
    return figures;
  }

  /** Events of the current UTC day. */
  todayEvents(): number {
    if (this.todayEventCount === undefined) {
      const today = utcDay(this.nowMs);
      this.todayEventCount = this.document.daily.find((bucket) => bucket.day === today)?.events ?? 0;
    }
    return this.todayEventCount;
  }
}

/** Whole days from `iso` to `nowMs`, never negative (the rule of `daysSinceLastVisit`); undefined without a time. */
export function daysSince(iso: string | undefined, nowMs: number): number | undefined {
  if (iso === undefined) return undefined;
  return Math.max(0, Math.floor((nowMs - Date.parse(iso)) / DAY_MS));
}

/** Start (UTC midnight, epoch ms) of a `YYYY-MM-DD` day. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`);
}

/**
 * Pushes the times after `nowMs` at which something dated on `day` enters or leaves a window of
 * `days` days ending today: it is inside from the day's midnight until `days` midnights later.
 */
export function pushWindowEdges(day: string, days: number, nowMs: number, out: number[]): void {
  const start = dayStartMs(day);
  const end = start + days * DAY_MS;
  if (start > nowMs) out.push(start);
  if (end > nowMs) out.push(end);
}
