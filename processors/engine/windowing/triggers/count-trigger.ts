import { ReducingStateDescriptor } from '../../state/state-descriptors';
import { type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../trigger';
import type { Window } from '../windows';

/** Fires every `maxCount` elements of a window (Flink's `CountTrigger`); no event-time firing. */
export class CountTrigger<W extends Window = Window> implements Trigger<unknown, W> {
  private readonly countDesc = new ReducingStateDescriptor<number>('count', (a, b) => a + b);
  private constructor(private readonly maxCount: number) {
    if (!(maxCount >= 1)) throw new Error(`CountTrigger needs maxCount >= 1, got ${maxCount}`);
  }
  static of<W extends Window = Window>(maxCount: number): CountTrigger<W> {
    return new CountTrigger<W>(maxCount);
  }
  onElement(_e: unknown, _ts: number, _w: W, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedReducingState(this.countDesc);
    count.add(1);
    if ((count.get() ?? 0) >= this.maxCount) {
      count.clear();
      return TriggerResult.FIRE;
    }
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
  onMerge(_w: W, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.countDesc);
  }
  clear(_w: W, ctx: TriggerContext): void {
    ctx.getPartitionedReducingState(this.countDesc).clear();
  }
  toString(): string {
    return `CountTrigger(${this.maxCount})`;
  }
}
