import { isFire, type OnMergeContext, type Trigger, type TriggerContext, TriggerResult } from '../trigger';
import type { Window } from '../windows';

/** Wraps a trigger so that every FIRE also purges the window (Flink's `PurgingTrigger`). */
export class PurgingTrigger<T, W extends Window> implements Trigger<T, W> {
  private constructor(private readonly nested: Trigger<T, W>) {}
  static of<T, W extends Window>(nested: Trigger<T, W>): PurgingTrigger<T, W> {
    return new PurgingTrigger(nested);
  }
  private purge(r: TriggerResult): TriggerResult {
    return isFire(r) ? TriggerResult.FIRE_AND_PURGE : r;
  }
  onElement(e: T, ts: number, w: W, ctx: TriggerContext): TriggerResult {
    return this.purge(this.nested.onElement(e, ts, w, ctx));
  }
  onEventTime(time: number, w: W, ctx: TriggerContext): TriggerResult {
    return this.purge(this.nested.onEventTime(time, w, ctx));
  }
  onProcessingTime(time: number, w: W, ctx: TriggerContext): TriggerResult {
    return this.purge(this.nested.onProcessingTime(time, w, ctx));
  }
  canMerge(): boolean {
    return this.nested.canMerge();
  }
  onMerge(w: W, ctx: OnMergeContext): void {
    this.nested.onMerge?.(w, ctx);
  }
  clear(w: W, ctx: TriggerContext): void {
    this.nested.clear(w, ctx);
  }
  toString(): string {
    return `PurgingTrigger(${this.nested.toString()})`;
  }
}
