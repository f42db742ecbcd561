import type { Trigger } from '../trigger';
import { ProcessingTimeTrigger } from '../triggers/processing-time-trigger';
import type { WindowAssigner, WindowAssignerContext } from '../window-assigner';
import { TimeWindow } from '../windows';

/** Fixed-size windows over processing time (the injected clock), optionally offset (Flink's). */
export class TumblingProcessingTimeWindows implements WindowAssigner<unknown, TimeWindow> {
  private constructor(
    readonly size: number,
    readonly offset: number,
  ) {
    if (!(size > 0)) throw new Error(`tumbling window size must be > 0, got ${size}`);
    if (Math.abs(offset) >= size)
      throw new Error(`tumbling window offset must be within ±size, got ${offset}`);
  }
  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    return new TumblingProcessingTimeWindows(size, offset);
  }
  assignWindows(_e: unknown, _ts: number, context: WindowAssignerContext): readonly TimeWindow[] {
    const now = context.getCurrentProcessingTime();
    const start = TimeWindow.getWindowStartWithOffset(now, this.offset, this.size);
    return [new TimeWindow(start, start + this.size)];
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create<TimeWindow>();
  }
  isEventTime(): boolean {
    return false;
  }
  toString(): string {
    return `TumblingProcessingTimeWindows(${this.size}, ${this.offset})`;
  }
}
