import { type Trigger, TriggerResult } from '../trigger';
import type { Window } from '../windows';

/** Never fires; the default of `GlobalWindows` (set a real trigger, e.g. `CountTrigger`). */
export class NeverTrigger<W extends Window = Window> implements Trigger<unknown, W> {
  static create<W extends Window = Window>(): NeverTrigger<W> {
    return new NeverTrigger<W>();
  }
  onElement(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(): void {}
  clear(): void {}
  toString(): string {
    return 'NeverTrigger()';
  }
}
