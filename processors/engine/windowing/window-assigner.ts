import type { Trigger } from './trigger';
import type { Window } from './windows';

/** What an assigner may ask while assigning (Flink's `WindowAssignerContext`). */
export interface WindowAssignerContext {
  getCurrentProcessingTime(): number;
}

/** Puts each record into zero or more windows (Flink's `WindowAssigner<T, W>`). */
export interface WindowAssigner<T, W extends Window> {
  assignWindows(element: T, timestamp: number, context: WindowAssignerContext): readonly W[];
  getDefaultTrigger(): Trigger<T, W>;
  isEventTime(): boolean;
  /** Present on merging assigners (sessions). */
  mergeWindows?(windows: readonly W[], callback: MergeCallback<W>): void;
  toString(): string;
}

/** Receives each group of windows that must become one (Flink's `MergingWindowAssigner.MergeCallback`). */
export type MergeCallback<W> = (toBeMerged: readonly W[], mergeResult: W) => void;

/** True if the assigner merges windows (sessions). */
export function isMergingAssigner<T, W extends Window>(
  a: WindowAssigner<T, W>,
): a is WindowAssigner<T, W> & Required<Pick<WindowAssigner<T, W>, 'mergeWindows'>> {
  return typeof a.mergeWindows === 'function';
}
