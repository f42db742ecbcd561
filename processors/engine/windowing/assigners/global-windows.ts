import type { Trigger } from '../trigger';
import { NeverTrigger } from '../triggers/never-trigger';
import type { WindowAssigner } from '../window-assigner';
import { GlobalWindow } from '../windows';

/** One window per key that never ends; give it a trigger (Flink's `GlobalWindows`). */
export class GlobalWindows implements WindowAssigner<unknown, GlobalWindow> {
  private static readonly WINDOWS: readonly GlobalWindow[] = [GlobalWindow.get()];
  static create(): GlobalWindows {
    return new GlobalWindows();
  }
  assignWindows(): readonly GlobalWindow[] {
    return GlobalWindows.WINDOWS;
  }
  getDefaultTrigger(): Trigger<unknown, GlobalWindow> {
    return NeverTrigger.create<GlobalWindow>();
  }
  isEventTime(): boolean {
    return false;
  }
  toString(): string {
    return 'GlobalWindows()';
  }
}
