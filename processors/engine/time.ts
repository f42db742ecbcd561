/** A source of processing time in epoch milliseconds; injectable so tests control it. */
export interface Clock {
  now(): number;
}

/** The watermark before any event: nothing is known yet (Flink's `Long.MIN_VALUE`). */
export const MIN_WATERMARK = Number.NEGATIVE_INFINITY;

/** The watermark that ends a bounded input: every event-time timer fires (Flink's `Long.MAX_VALUE`). */
export const MAX_WATERMARK = Number.POSITIVE_INFINITY;

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests and deterministic replays. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start = 0) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  /** Moves the clock to `t` (never backwards). */
  set(t: number): void {
    if (t > this.current) this.current = t;
  }
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }
}
