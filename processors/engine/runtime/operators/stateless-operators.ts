import type { Collector, FilterFunction, FlatMapFunction, MapFunction } from '../../functions';
import { type Output, StatelessOperator } from './stream-operator';

/** Applies a map function (Flink's `StreamMap`). */
export class StreamMap extends StatelessOperator {
  constructor(
    id: string,
    output: Output,
    private readonly fn: MapFunction<unknown, unknown>,
  ) {
    super(id, output);
  }
  processElement(value: unknown, timestamp: number): void {
    this.output.collect(this.fn(value), timestamp);
  }
}

/** Keeps records a predicate accepts (Flink's `StreamFilter`). */
export class StreamFilter extends StatelessOperator {
  constructor(
    id: string,
    output: Output,
    private readonly fn: FilterFunction<unknown>,
  ) {
    super(id, output);
  }
  processElement(value: unknown, timestamp: number): void {
    if (this.fn(value)) this.output.collect(value, timestamp);
  }
}

/** Applies a flat-map function; its outputs keep the input's timestamp (Flink's `StreamFlatMap`). */
export class StreamFlatMap extends StatelessOperator implements Collector<unknown> {
  private timestamp = 0;
  constructor(
    id: string,
    output: Output,
    private readonly fn: FlatMapFunction<unknown, unknown>,
  ) {
    super(id, output);
  }
  collect(value: unknown): void {
    this.output.collect(value, this.timestamp);
  }
  processElement(value: unknown, timestamp: number): void {
    this.timestamp = timestamp;
    this.fn(value, this);
  }
}

/** Forwards a side output of its parent as a stream of its own. */
export class SideOutputPassThrough extends StatelessOperator {
  processElement(value: unknown, timestamp: number): void {
    this.output.collect(value, timestamp);
  }
}
