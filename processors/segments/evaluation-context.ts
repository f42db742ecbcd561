import type { ActivityItem, ProfileDocument } from '../../contracts/profile';
import { type HorizonFigures, horizonFigures, utcDay } from '../../contracts/profile-figures';

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

const dayStrings = new Map<number, string>();

/** `YYYY-MM-DD` of a day number (days since the epoch, UTC); memoized, as rules ask for the same few days. */
export function dayString(dayNumber: number): string {
  let day = dayStrings.get(dayNumber);
  if (day === undefined) {
    if (dayStrings.size >= 4096) dayStrings.clear();
    day = utcDay(dayNumber * DAY_MS);
    dayStrings.set(dayNumber, day);
  }
  return day;
}

/**
 * What a rule reads: the profile, its recent activity and the moment of evaluation, with the
 * time-relative figures computed on first use and kept for the rest of this evaluation.
 */
export class EvaluationContext {
  private horizons: Map<number, HorizonFigures> | undefined;
  private windows: Map<number, DayWindow> | undefined;
  private lastWindowDays = 0;
  private lastWindow: DayWindow | undefined;
  private timeKeyA: string | undefined;
  private timeValueA = 0;
  private timeKeyB: string | undefined;
  private timeValueB = 0;
  private todayEventCount: number | undefined;
  /** Days since the epoch (UTC) of `nowMs`. */
  readonly today: number;

  constructor(
    readonly document: ProfileDocument,
    readonly activity: readonly ActivityItem[],
    readonly nowMs: number,
  ) {
    this.today = Math.floor(nowMs / DAY_MS);
  }

  /** Purchases, revenue and page views over today and the `days - 1` days before (as the Profile API reads them). */
  horizon(days: number): HorizonFigures {
    this.horizons ??= new Map();
    let figures = this.horizons.get(days);
    if (figures === undefined) {
      figures = horizonFigures(this.document.daily, this.nowMs, days);
      this.horizons.set(days, figures);
    }
    return figures;
  }

  /**
   * The days of a window of `days` days ending today (UTC), as `YYYY-MM-DD` bounds, both included:
   * the same window as `horizonFigures` and `eventCountWithin` use.
   */
  window(days: number): DayWindow {
    // Most rule sets use one or two window sizes: a one-entry cache before the map saves allocations.
    if (days === this.lastWindowDays && this.lastWindow !== undefined) return this.lastWindow;
    let window = this.windows?.get(days);
    if (window === undefined) {
      window = { from: dayString(this.today - (days - 1)), to: dayString(this.today) };
      if (this.lastWindow !== undefined) {
        this.windows ??= new Map();
        this.windows.set(this.lastWindowDays, this.lastWindow);
      }
    }
    this.lastWindowDays = days;
    this.lastWindow = window;
    return window;
  }

  /** Epoch ms of an ISO time of the profile, parsed once per evaluation (two recent times kept). */
  timeOf(iso: string): number {
    if (iso === this.timeKeyA) return this.timeValueA;
    if (iso === this.timeKeyB) return this.timeValueB;
    const ms = Date.parse(iso);
    this.timeKeyB = this.timeKeyA;
    this.timeValueB = this.timeValueA;
    this.timeKeyA = iso;
    this.timeValueA = ms;
    return ms;
  }

  /** Events of the current UTC day. */
  todayEvents(): number {
    if (this.todayEventCount === undefined) {
      const today = dayString(this.today);
      this.todayEventCount = this.document.daily.find((bucket) => bucket.day === today)?.events ?? 0;
    }
    return this.todayEventCount;
  }
}

/** A range of UTC days, both ends included. */
export interface DayWindow {
  readonly from: string;
  readonly to: string;
}

/** UTC day of an ISO time; read off the text when it is in UTC (`...Z`, as canonical events are). */
export function dayOfIso(iso: string): string {
  return iso.endsWith('Z') && iso.charCodeAt(10) === 84 /* T */ ? iso.slice(0, 10) : utcDay(Date.parse(iso));
}

/** Whole days from `iso` to the context's now, never negative (the rule of `daysSinceLastVisit`); undefined without a time. */
export function daysSince(iso: string | undefined, context: EvaluationContext): number | undefined {
  if (iso === undefined) return undefined;
  return Math.max(0, Math.floor((context.nowMs - context.timeOf(iso)) / DAY_MS));
}

/** Start (UTC midnight, epoch ms) of a `YYYY-MM-DD` day. */
export function dayStartMs(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
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
