import type { OutputTag } from '../../output-tag';

/**
 * Where an operator sends what it produces. Operators are chained (Flink's operator chaining): `collect`
 * calls the next operator directly, so there is no queue between operators of a task.
 */
export interface Output {
  collect(value: unknown, timestamp: number): void;
  collectSide(tag: OutputTag<unknown>, value: unknown, timestamp: number): void;
  emitWatermark(watermark: number): void;
}

/** One operator instance inside a task (Flink's `OneInputStreamOperator`). */
export interface StreamOperator {
  readonly id: string;
  open(): void;
  processElement(value: unknown, timestamp: number): void;
  processWatermark(watermark: number): void;
  /** Fires processing-time timers due at `now`. */
  onProcessingTime(now: number): void;
  /** Plain data: keyed state, timers, watermark. */
  snapshotState(): unknown;
  restoreState(state: unknown): void;
  close(): void;
}

/** Fans records out to the operators downstream, main output and side outputs by tag. */
export class ChainedOutput implements Output {
  readonly main: StreamOperator[] = [];
  readonly sides = new Map<string, StreamOperator[]>();

  collect(value: unknown, timestamp: number): void {
    const m = this.main;
    for (let i = 0; i < m.length; i++) (m[i] as StreamOperator).processElement(value, timestamp);
  }

  collectSide(tag: OutputTag<unknown>, value: unknown, timestamp: number): void {
    const ops = this.sides.get(tag.id);
    if (ops === undefined) return; // nobody asked for this side output
    for (const op of ops) op.processElement(value, timestamp);
  }

  emitWatermark(watermark: number): void {
    for (const op of this.main) op.processWatermark(watermark);
    for (const ops of this.sides.values()) for (const op of ops) op.processWatermark(watermark);
  }
}

/** Base of stateless one-in operators: no state, watermarks pass through. */
export abstract class StatelessOperator implements StreamOperator {
  constructor(
    readonly id: string,
    protected readonly output: Output,
  ) {}
  open(): void {}
  abstract processElement(value: unknown, timestamp: number): void;
  processWatermark(watermark: number): void {
    this.output.emitWatermark(watermark);
  }
  onProcessingTime(): void {}
  snapshotState(): unknown {
    return null;
  }
  restoreState(): void {}
  close(): void {}
}
