import type { Sink } from '../connectors/sink';
import type {
  AggregateFunction,
  FilterFunction,
  FlatMapFunction,
  Key,
  KeySelector,
  MapFunction,
} from '../functions';
import type { OutputTag } from '../output-tag';
import type { ProcessWindowFunction } from '../windowing/process-window-function';
import type { Trigger } from '../windowing/trigger';
import type { WindowAssigner } from '../windowing/window-assigner';
import type { Window } from '../windowing/windows';
import type { KeyedProcessFunction } from './keyed-process-function';
import type { KeyedProcessFunctionOrFactory, SinkOptions, Transformation } from './transformation';

/** Registers transformations; implemented by the environment. */
export interface JobGraphBuilder {
  add(t: Transformation): void;
  nextId(kind: string, uid?: string): string;
}

/** A stream of records (Flink's `DataStream<T>`); every method adds a node to the job graph. */
export class DataStream<T> {
  constructor(
    protected readonly graph: JobGraphBuilder,
    readonly transformation: Transformation,
  ) {}

  map<R>(fn: MapFunction<T, R>, uid?: string): DataStream<R> {
    return this.append({
      kind: 'map',
      id: this.graph.nextId('map', uid),
      parent: this.transformation,
      fn,
    } as Transformation);
  }

  filter(fn: FilterFunction<T>, uid?: string): DataStream<T> {
    return this.append({
      kind: 'filter',
      id: this.graph.nextId('filter', uid),
      parent: this.transformation,
      fn,
    } as Transformation);
  }

  flatMap<R>(fn: FlatMapFunction<T, R>, uid?: string): DataStream<R> {
    return this.append({
      kind: 'flatMap',
      id: this.graph.nextId('flatMap', uid),
      parent: this.transformation,
      fn,
    } as Transformation);
  }

  /**
   * Partitions the stream by key. The engine does not reshuffle between tasks: with parallelism > 1 the
   * source must already be partitioned by this key (as a Kinesis stream partitioned by user is), like
   * Flink's `reinterpretAsKeyedStream`.
   */
  keyBy<K extends Key>(keySelector: KeySelector<T, K>): KeyedStream<T, K> {
    return new KeyedStream<T, K>(this.graph, this.transformation, keySelector);
  }

  /** Writes the stream to a sink (see {@link SinkWriter} for the idempotency contract). */
  sinkTo(sink: Sink<T>, options: SinkOptions = {}, uid?: string): void {
    this.graph.add({
      kind: 'sink',
      id: this.graph.nextId('sink', uid),
      parent: this.transformation,
      sink: sink as Sink<unknown>,
      options,
    });
  }

  protected append<R>(t: Transformation): DataStream<R> {
    this.graph.add(t);
    return new DataStream<R>(this.graph, t);
  }
}

/** The result of an operator that may also have side outputs (Flink's `SingleOutputStreamOperator`). */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  /** The records the operator sent to `tag`. */
  getSideOutput<X>(tag: OutputTag<X>): DataStream<X> {
    const t: Transformation = {
      kind: 'sideOutput',
      id: this.graph.nextId(`side-${tag.id}`),
      parent: this.transformation,
      tag: tag as OutputTag<unknown>,
    };
    this.graph.add(t);
    return new DataStream<X>(this.graph, t);
  }
}

/** A stream partitioned by key (Flink's `KeyedStream<T, K>`): keyed state, timers and windows. */
export class KeyedStream<T, K extends Key> extends DataStream<T> {
  constructor(
    graph: JobGraphBuilder,
    transformation: Transformation,
    readonly keySelector: KeySelector<T, K>,
  ) {
    super(graph, transformation);
  }

  /**
   * Applies a {@link KeyedProcessFunction}; `uid` names its state in checkpoints (keep it stable). Each
   * task gets its own instance: pass a factory `() => fn`, or an object whose `open` keeps its state
   * handles on `this` (each task sees it through `Object.create(fn)`). Handles kept in variables shared
   * by all tasks would mix up tasks when parallelism > 1.
   */
  process<R>(
    fn: KeyedProcessFunction<K, T, R> | (() => KeyedProcessFunction<K, T, R>),
    uid?: string,
  ): SingleOutputStreamOperator<R> {
    const t: Transformation = {
      kind: 'process',
      id: this.graph.nextId('process', uid),
      parent: this.transformation,
      keySelector: this.keySelector as KeySelector<unknown, Key>,
      fn: fn as unknown as KeyedProcessFunctionOrFactory,
    };
    this.graph.add(t);
    return new SingleOutputStreamOperator<R>(this.graph, t);
  }

  /** Groups each key's records into windows. */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    return new WindowedStream<T, K, W>(this.graph, this.transformation, this.keySelector, assigner);
  }
}

/** A keyed stream cut into windows (Flink's `WindowedStream<T, K, W>`). */
export class WindowedStream<T, K extends Key, W extends Window> {
  private triggerValue: Trigger<T, W> | undefined;
  private lateness = 0;
  private lateTag: OutputTag<T> | undefined;

  constructor(
    private readonly graph: JobGraphBuilder,
    private readonly parent: Transformation,
    private readonly keySelector: KeySelector<T, K>,
    private readonly assigner: WindowAssigner<T, W>,
  ) {}

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<T, W>): this {
    this.triggerValue = trigger;
    return this;
  }

  /** Keeps windows `ms` past their end; late records within it re-fire the window. */
  allowedLateness(ms: number): this {
    if (!(ms >= 0)) throw new Error(`allowedLateness must be >= 0, got ${ms}`);
    this.lateness = ms;
    return this;
  }

  /** Sends records too late for any window to `tag` instead of dropping them. */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.lateTag = tag;
    return this;
  }

  /**
   * Aggregates each window incrementally; with `windowFunction`, its output replaces the raw result
   * and can see the key and the window. Results carry the window's `maxTimestamp` as event time.
   */
  aggregate<ACC, V, R = V>(
    fn: AggregateFunction<T, ACC, V>,
    windowFunction?: ProcessWindowFunction<V, R, K, W>,
    uid?: string,
  ): SingleOutputStreamOperator<R> {
    const t: Transformation = {
      kind: 'window',
      id: this.graph.nextId('window', uid),
      parent: this.parent,
      keySelector: this.keySelector as KeySelector<unknown, Key>,
      assigner: this.assigner as unknown as WindowAssigner<unknown, Window>,
      trigger: this.triggerValue as unknown as Trigger<unknown, Window> | undefined,
      allowedLateness: this.lateness,
      lateDataTag: this.lateTag as OutputTag<unknown> | undefined,
      aggregate: fn as unknown as AggregateFunction<unknown, unknown, unknown>,
      windowFunction: windowFunction as unknown as
        | ProcessWindowFunction<unknown, unknown, Key, Window>
        | undefined,
    };
    this.graph.add(t);
    return new SingleOutputStreamOperator<R>(this.graph, t);
  }

  /**
   * Gives each firing window all of its records (Flink's `WindowedStream.process`). Keeps every record
   * in state until the window is purged or cleaned up; prefer `aggregate` when an accumulator will do.
   */
  process<R>(fn: ProcessWindowFunction<T, R, K, W>, uid?: string): SingleOutputStreamOperator<R> {
    const collect: AggregateFunction<T, T[], T[]> = {
      createAccumulator: () => [],
      add: (value, acc) => {
        acc.push(value);
        return acc;
      },
      merge: (a, b) => {
        for (const x of b) a.push(x);
        return a;
      },
      getResult: (acc) => acc,
    };
    const unwrap: ProcessWindowFunction<T[], R, K, W> = {
      process: (key, ctx, lists, out) => {
        for (const list of lists) fn.process(key, ctx, list, out);
      },
    };
    return this.aggregate(collect, unwrap, uid);
  }

  /** Combines the window's records with `reduce` (an aggregate whose accumulator is the value). */
  reduce<R = T>(
    reduce: (a: T, b: T) => T,
    windowFunction?: ProcessWindowFunction<T, R, K, W>,
    uid?: string,
  ): SingleOutputStreamOperator<R> {
    const agg: AggregateFunction<T, { v: T | undefined; set: boolean }, T> = {
      createAccumulator: () => ({ v: undefined, set: false }),
      add: (value, acc) => {
        acc.v = acc.set ? reduce(acc.v as T, value) : value;
        acc.set = true;
        return acc;
      },
      merge: (a, b) => {
        if (!b.set) return a;
        if (!a.set) return b;
        a.v = reduce(a.v as T, b.v as T);
        return a;
      },
      getResult: (acc) => acc.v as T,
    };
    return this.aggregate(agg, windowFunction, uid);
  }
}
