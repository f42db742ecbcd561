/**
 * A window `[start, end)`. `maxTimestamp()` is `end - 1`, the last instant that belongs to it. Within one
 * key, windows are identified by `end` (true for every built-in assigner: fixed-size windows differ in
 * their end, and merged session windows never overlap).
 */
export interface Window {
  readonly start: number;
  readonly end: number;
  maxTimestamp(): number;
}

/** A time interval `[start, end)` (Flink's `TimeWindow`). */
export class TimeWindow implements Window {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
  maxTimestamp(): number {
    return this.end - 1;
  }
  /** True if the windows overlap or touch (Flink merges sessions that touch). */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }
  /** The smallest window covering both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }
  equals(other: Window): boolean {
    return this.start === other.start && this.end === other.end;
  }
  toString(): string {
    return `TimeWindow{start=${this.start}, end=${this.end}}`;
  }
  /** Start of the window of size `windowSize` with `offset` that contains `timestamp` (Flink's formula). */
  static getWindowStartWithOffset(timestamp: number, offset: number, windowSize: number): number {
    const remainder = (timestamp - offset) % windowSize;
    return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
  }
}

/** The one window of `GlobalWindows`: everything, forever. */
export class GlobalWindow implements Window {
  static readonly INSTANCE = new GlobalWindow();
  readonly start = Number.NEGATIVE_INFINITY;
  readonly end = Number.POSITIVE_INFINITY;
  private constructor() {}
  static get(): GlobalWindow {
    return GlobalWindow.INSTANCE;
  }
  maxTimestamp(): number {
    return Number.MAX_VALUE;
  }
  toString(): string {
    return 'GlobalWindow';
  }
}

/** Rebuilds a window from its bounds (used when restoring snapshots). */
export function windowFromBounds(start: number, end: number): Window {
  return end === Number.POSITIVE_INFINITY ? GlobalWindow.get() : new TimeWindow(start, end);
}
