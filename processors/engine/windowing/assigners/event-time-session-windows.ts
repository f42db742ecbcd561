import type { Trigger } from '../trigger';
import { EventTimeTrigger } from '../triggers/event-time-trigger';
import type { MergeCallback, WindowAssigner } from '../window-assigner';
import { TimeWindow } from '../windows';

/**
 * Sessions: each record opens `[ts, ts + gap)` and windows that overlap or touch merge (Flink's
 * `EventTimeSessionWindows.withGap`).
 */
export class EventTimeSessionWindows implements WindowAssigner<unknown, TimeWindow> {
  private constructor(readonly gap: number) {
    if (!(gap > 0)) throw new Error(`session gap must be > 0, got ${gap}`);
  }
  static withGap(gap: number): EventTimeSessionWindows {
    return new EventTimeSessionWindows(gap);
  }
  assignWindows(_e: unknown, timestamp: number): readonly TimeWindow[] {
    return [new TimeWindow(timestamp, timestamp + this.gap)];
  }
  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create<TimeWindow>();
  }
  isEventTime(): boolean {
    return true;
  }
  mergeWindows(windows: readonly TimeWindow[], callback: MergeCallback<TimeWindow>): void {
    mergeTimeWindows(windows, callback);
  }
  toString(): string {
    return `EventTimeSessionWindows(${this.gap})`;
  }
}

/** Merges overlapping or touching time windows; calls back once per group of two or more (Flink's `TimeWindow.mergeWindows`). */
export function mergeTimeWindows(windows: readonly TimeWindow[], callback: MergeCallback<TimeWindow>): void {
  const sorted = [...windows].sort((a, b) => a.start - b.start || a.end - b.end);
  let current: TimeWindow | undefined;
  let members: TimeWindow[] = [];
  const flush = () => {
    if (current && members.length > 1) callback(members, current);
  };
  for (const w of sorted) {
    if (current === undefined) {
      current = w;
      members = [w];
    } else if (current.intersects(w)) {
      current = current.cover(w);
      members.push(w);
    } else {
      flush();
      current = w;
      members = [w];
    }
  }
  flush();
}
