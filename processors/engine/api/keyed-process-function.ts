import type { Collector, Key } from '../functions';
import type { OutputTag } from '../output-tag';
import type { RuntimeContext } from './runtime-context';
import type { TimeDomain, TimerService } from './timer-service';

/** What `processElement` can see and do besides emitting (Flink's `KeyedProcessFunction.Context`). */
export interface KeyedProcessContext<K extends Key> {
  /** Event timestamp of the current record, or of the firing timer. */
  timestamp(): number;
  timerService(): TimerService;
  getCurrentKey(): K;
  /** Emits to a side output. */
  output<X>(tag: OutputTag<X>, value: X): void;
}

/** What `onTimer` gets (Flink's `KeyedProcessFunction.OnTimerContext`). */
export interface OnTimerContext<K extends Key> extends KeyedProcessContext<K> {
  timeDomain(): TimeDomain;
}

/**
 * Low-level keyed processing (Flink's `KeyedProcessFunction<K, I, O>`): one call per record with keyed
 * state and timers of the record's key. Get state handles in `open` from the runtime context; they are
 * scoped to the current key on every call.
 */
export interface KeyedProcessFunction<K extends Key, I, O> {
  open?(ctx: RuntimeContext): void;
  processElement(value: I, ctx: KeyedProcessContext<K>, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
  close?(): void;
}
