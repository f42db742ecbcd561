import type { Trigger } from '../trigger';
import { EventTimeTrigger } from '../triggers/event-time-trigger';
import type { WindowAssigner } from '../window-assigner';
import { TimeWindow } from '../windows';

/** Fixed-size, non-overlapping event-time windows, optionally shifted by an offset (Flink's). */
export class TumblingEventTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private lastStart = Number.NaN;
  private last: readonly TimeWindow[] = [];
  private constructor(
    readonly size: number,
    readonly offset: number,
  ) {
    if (!(size > 0)) throw new Error(`tumbling window size must be > 0, got ${size}`);
    if (Math.abs(offset) >= size)
      throw new Error(`tumbling window offset must be within ±size, got ${offset}`);
  }
  /** Windows of `size` ms; `offset` shifts them (e.g. for time zones: `-8h` for UTC+8 days). */
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    return new TumblingEventTimeWindows(size, offset);
  }
  assignWindows(_e: unknown, timestamp: number): readonly TimeWindow[] {
    const start = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.size);
    // Consecutive records mostly share a window: reuse the (immutable) array instead of allocating.
    if (start !== this.lastStart) {
      this.lastStart = start;
      this.last = [new TimeWindow(start, start + this.size)];
    }
    return this.last;
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create<TimeWindow>();
  }
  isEventTime(): boolean {
    return true;
  }
  toString(): string {
    return `TumblingEventTimeWindows(${this.size}, ${this.offset})`;
  }
}
