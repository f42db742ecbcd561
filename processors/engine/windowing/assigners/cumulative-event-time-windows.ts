import type { Trigger } from '../trigger';
import { EventTimeTrigger } from '../triggers/event-time-trigger';
import type { WindowAssigner } from '../window-assigner';
import { TimeWindow } from '../windows';

/**
 * Cumulating windows (Flink SQL's `CUMULATE`): within each period of `maxSize` (shifted by `offset`),
 * windows `[start, start + step)`, `[start, start + 2·step)`, … `[start, start + maxSize)`. A record is in
 * every window of its period that ends after it: "today so far", refreshed every `step`.
 */
export class CumulativeEventTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private lastKey = Number.NaN;
  private last: readonly TimeWindow[] = [];
  private constructor(
    readonly step: number,
    readonly maxSize: number,
    readonly offset: number,
  ) {
    if (!(step > 0) || !(maxSize > 0)) throw new Error('cumulative windows need step and maxSize > 0');
    if (maxSize % step !== 0) throw new Error(`maxSize (${maxSize}) must be a multiple of step (${step})`);
    if (Math.abs(offset) >= maxSize) throw new Error('cumulative window offset must be within ±maxSize');
  }
  static of(step: number, maxSize: number, offset = 0): CumulativeEventTimeWindows {
    return new CumulativeEventTimeWindows(step, maxSize, offset);
  }
  assignWindows(_e: unknown, timestamp: number): readonly TimeWindow[] {
    const start = TimeWindow.getWindowStartWithOffset(timestamp, this.offset, this.maxSize);
    const firstEnd = start + (Math.floor((timestamp - start) / this.step) + 1) * this.step;
    if (firstEnd !== this.lastKey) {
      const windows: TimeWindow[] = [];
      for (let end = firstEnd; end <= start + this.maxSize; end += this.step) {
        windows.push(new TimeWindow(start, end));
      }
      this.lastKey = firstEnd;
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
    return `CumulativeEventTimeWindows(${this.step}, ${this.maxSize}, ${this.offset})`;
  }
}
