import type { Sink } from '../connectors/sink';
import type { Source } from '../connectors/source';
import type {
  AggregateFunction,
  FilterFunction,
  FlatMapFunction,
  Key,
  KeySelector,
  MapFunction,
} from '../functions';
import type { OutputTag } from '../output-tag';
import type { WatermarkStrategy } from '../watermark/watermark-strategy';
import type { ProcessWindowFunction } from '../windowing/process-window-function';
import type { Trigger } from '../windowing/trigger';
import type { WindowAssigner } from '../windowing/window-assigner';
import type { Window } from '../windowing/windows';
import type { KeyedProcessFunction } from './keyed-process-function';

/** Options of a sink in the job graph. */
export interface SinkOptions {
  /** Records buffered before a write is started (default 500). */
  readonly batchSize?: number;
  /** Records the sink may hold (buffered + being written) before the source is paused (default 10,000). */
  readonly capacity?: number;
}

/** A process function, or a factory that makes one per task. */
export type KeyedProcessFunctionOrFactory =
  | KeyedProcessFunction<Key, unknown, unknown>
  | (() => KeyedProcessFunction<Key, unknown, unknown>);

/** One node of the job graph (Flink's `Transformation`); built by the DataStream API. */
export type Transformation =
  | { kind: 'source'; id: string; source: Source<unknown>; strategy: WatermarkStrategy<unknown> }
  | { kind: 'map'; id: string; parent: Transformation; fn: MapFunction<unknown, unknown> }
  | { kind: 'filter'; id: string; parent: Transformation; fn: FilterFunction<unknown> }
  | { kind: 'flatMap'; id: string; parent: Transformation; fn: FlatMapFunction<unknown, unknown> }
  | {
      kind: 'process';
      id: string;
      parent: Transformation;
      keySelector: KeySelector<unknown, Key>;
      fn: KeyedProcessFunctionOrFactory;
    }
  | {
      kind: 'window';
      id: string;
      parent: Transformation;
      keySelector: KeySelector<unknown, Key>;
      assigner: WindowAssigner<unknown, Window>;
      trigger: Trigger<unknown, Window> | undefined;
      allowedLateness: number;
      lateDataTag: OutputTag<unknown> | undefined;
      aggregate: AggregateFunction<unknown, unknown, unknown>;
      windowFunction: ProcessWindowFunction<unknown, unknown, Key, Window> | undefined;
    }
  | { kind: 'sideOutput'; id: string; parent: Transformation; tag: OutputTag<unknown> }
  | { kind: 'sink'; id: string; parent: Transformation; sink: Sink<unknown>; options: SinkOptions };
