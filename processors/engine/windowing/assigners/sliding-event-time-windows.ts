import type { Trigger } from '../trigger';
import { EventTimeTrigger } from '../triggers/event-time-trigger';
import type { WindowAssigner } from '../window-assigner';
import { TimeWindow } from '../windows';

/** Windows of `size` that start every `slide`, so a record is in `size / slide` of them (Flink's). */
export class SlidingEventTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private lastStart = Number.NaN;
  private last: readonly TimeWindow[] = [];
  private constructor(
    readonly size: number,
    readonly slide: number,
    readonly offset: number,
  ) {
    if (!(size > 0) || !(slide > 0)) throw new Error(`sliding windows need size and slide > 0`);
    if (Math.abs(offset) >= slide)
      throw new Error(`sliding window offset must be within ±slide, got ${offset}`);
  }
  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows {
    return new SlidingEventTimeWindows(size, slide, offset);
  }
  assignWindows(_e: unknown, timestamp: number): readonly TimeWindow[] {
    const lastStart = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.slide);
    // The windows depend only on `lastStart` when size is a multiple of slide; then reuse the last array.
    if (lastStart !== this.lastStart || this.size % this.slide !== 0) {
      const windows: TimeWindow[] = [];
      for (let start = lastStart; start > timestamp - this.size; start -= this.slide) {
        windows.push(new TimeWindow(start, start + this.size));
      }
      this.lastStart = lastStart;
      this.last = windows;
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
    return `SlidingEventTimeWindows(${this.size}, ${this.slide})`;
  }
}
