import type { Collector, Key } from '../functions';
import type { OutputTag } from '../output-tag';
import type { Window } from './windows';

/** What `ProcessWindowFunction.process` can see (Flink's `ProcessWindowFunction.Context`). */
export interface ProcessWindowContext<W extends Window> {
  window(): W;
  currentProcessingTime(): number;
  currentWatermark(): number;
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Turns the aggregated result of a window into output with access to the key and the window (Flink's
 * `ProcessWindowFunction<IN, OUT, KEY, W>`). With `aggregate(fn, windowFn)` the iterable holds exactly
 * one element: the aggregate's result.
 */
export interface ProcessWindowFunction<IN, OUT, K extends Key, W extends Window> {
  process(key: K, context: ProcessWindowContext<W>, elements: Iterable<IN>, out: Collector<OUT>): void;
}
