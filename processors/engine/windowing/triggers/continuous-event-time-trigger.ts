import { ReducingStateDescriptor } from '../../state/state-descriptors';
import { type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../trigger';
import type { Window } from '../windows';

/**
 * Fires every `interval` of event time while the window is open (early results), and at its end
 * (Flink's `ContinuousEventTimeTrigger`).
 */
export class ContinuousEventTimeTrigger<W extends Window = Window> implements Trigger<unknown, W> {
  private readonly fireDesc = new ReducingStateDescriptor<number>('fire-time', (a, b) => Math.min(a, b));
  private constructor(private readonly interval: number) {
    if (!(interval > 0)) throw new Error(`ContinuousEventTimeTrigger needs interval > 0, got ${interval}`);
  }
  static of<W extends Window = Window>(interval: number): ContinuousEventTimeTrigger<W> {
    return new ContinuousEventTimeTrigger<W>(interval);
  }
  onElement(_e: unknown, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) return TriggerResult.FIRE;
    ctx.registerEventTimeTimer(window.maxTimestamp());
    const fire = ctx.getPartitionedReducingState(this.fireDesc);
    if (fire.get() === undefined) {
      this.registerNext(timestamp - (timestamp % this.interval), window, ctx);
    }
    return TriggerResult.CONTINUE;
  }
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    if (time === window.maxTimestamp()) return TriggerResult.FIRE;
    const fire = ctx.getPartitionedReducingState(this.fireDesc);
    if (fire.get() === time) {
      fire.clear();
      this.registerNext(time, window, ctx);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE;
  }
  canMerge(): boolean {
    return true;
  }
  onMerge(window: W, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.fireDesc);
    const next = ctx.getPartitionedReducingState(this.fireDesc).get();
    if (next !== undefined) ctx.registerEventTimeTimer(next);
    if (window.maxTimestamp() > ctx.getCurrentWatermark()) ctx.registerEventTimeTimer(window.maxTimestamp());
  }
  clear(window: W, ctx: TriggerContext): void {
    const fire = ctx.getPartitionedReducingState(this.fireDesc);
    const t = fire.get();
    if (t !== undefined) ctx.deleteEventTimeTimer(t);
    fire.clear();
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }
  private registerNext(time: number, window: W, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, window.maxTimestamp());
    ctx.getPartitionedReducingState(this.fireDesc).add(next);
    ctx.registerEventTimeTimer(next);
  }
  toString(): string {
    return `ContinuousEventTimeTrigger(${this.interval})`;
  }
}
