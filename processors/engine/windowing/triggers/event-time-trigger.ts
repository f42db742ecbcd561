import { type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../trigger';
import type { Window } from '../windows';

/**
 * Fires once the watermark passes the window's end (`maxTimestamp`), and again for every late element
 * that arrives within the allowed lateness (Flink's `EventTimeTrigger`, the default of event-time windows).
 */
export class EventTimeTrigger<W extends Window = Window> implements Trigger<unknown, W> {
  static create<W extends Window = Window>(): EventTimeTrigger<W> {
    return new EventTimeTrigger<W>();
  }
  onElement(_e: unknown, _ts: number, window: W, ctx: TriggerContext): TriggerResult {
    const maxTs = window.maxTimestamp();
    if (maxTs <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(maxTs);
    return TriggerResult.CONTINUE;
  }
  onEventTime(time: number, window: W): TriggerResult {
    return time === window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(window: W, ctx: OnMergeContext): void {
    const maxTs = window.maxTimestamp();
    if (maxTs > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(maxTs);
  }
  clear(window: W, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }
  toString(): string {
    return 'EventTimeTrigger()';
  }
}
