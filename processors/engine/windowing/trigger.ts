import type { ReducingState, ValueState } from '../state/state';
import type { ReducingStateDescriptor, ValueStateDescriptor } from '../state/state-descriptors';
import type { Window } from './windows';

/** What a trigger decides (Flink's `TriggerResult`). */
export enum TriggerResult {
  CONTINUE = 0,
  FIRE = 1,
  PURGE = 2,
  FIRE_AND_PURGE = 3,
}

/** True if the result emits the window. */
export function isFire(r: TriggerResult): boolean {
  return (r & 1) === 1;
}

/** True if the result clears the window's contents. */
export function isPurge(r: TriggerResult): boolean {
  return (r & 2) === 2;
}

/** Timers and per-window state of the current key and window (Flink's `Trigger.TriggerContext`). */
export interface TriggerContext {
  getCurrentProcessingTime(): number;
  getCurrentWatermark(): number;
  registerEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  /** State scoped to the current key and window. */
  getPartitionedState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getPartitionedReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
}

/** The context of `onMerge` (Flink's `Trigger.OnMergeContext`). */
export interface OnMergeContext extends TriggerContext {
  /** Combines the reducing state of the merged windows into the merge result. */
  mergePartitionedState<T>(descriptor: ReducingStateDescriptor<T>): void;
}

/** Decides when a window emits and when it is purged (Flink's `Trigger<T, W>`). */
export interface Trigger<T, W extends Window> {
  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult;
  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult;
  canMerge(): boolean;
  onMerge?(window: W, ctx: OnMergeContext): void;
  /** Deletes the timers and state this trigger holds for the window. */
  clear(window: W, ctx: TriggerContext): void;
  toString(): string;
}
