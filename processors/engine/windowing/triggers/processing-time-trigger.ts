import { type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../trigger';
import type { Window } from '../windows';

/** Fires when the processing-time clock passes the window's end (Flink's `ProcessingTimeTrigger`). */
export class ProcessingTimeTrigger<W extends Window = Window> implements Trigger<unknown, W> {
  static create<W extends Window = Window>(): ProcessingTimeTrigger<W> {
    return new ProcessingTimeTrigger<W>();
  }
  onElement(_e: unknown, _ts: number, window: W, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }
  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.FIRE;
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(window: W, ctx: OnMergeContext): void {
    if (window.maxTimestamp() > ctx.getCurrentProcessingTime())
      ctx.registerProcessingTimeTimer(window.maxTimestamp());
  }
  clear(window: W, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp());
  }
  toString(): string {
    return 'ProcessingTimeTrigger()';
  }
}
