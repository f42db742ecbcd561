import type { Clock } from '../time';
import { MIN_WATERMARK } from '../time';

/** Extracts the event time (epoch ms) of a record (Flink's `TimestampAssigner<T>`). */
export type TimestampAssigner<T> = (element: T, recordTimestamp: number) => number;

/** Where a generator reports (Flink's `WatermarkOutput`). */
export interface WatermarkOutput {
  emitWatermark(watermark: number): void;
  /** This input has nothing to say; do not let it hold back the operator's watermark. */
  markIdle(): void;
  markActive(): void;
}

/** Computes the watermark of one partition (Flink's `WatermarkGenerator<T>`). */
export interface WatermarkGenerator<T> {
  onEvent(event: T, timestamp: number, output: WatermarkOutput): void;
  /** Called after each poll of the partition (our "periodic" emission; see the guide). */
  onPeriodicEmit(output: WatermarkOutput): void;
  /** Plain-data state that goes into checkpoints (e.g. the highest timestamp seen). */
  snapshotState?(): unknown;
  restoreState?(state: unknown): void;
}

/**
 * Watermark = highest timestamp seen − `bound` − 1 ms (Flink's `BoundedOutOfOrdernessWatermarks`): an
 * event exactly `bound` ms older than the newest one is still on time.
 */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private maxTimestamp = MIN_WATERMARK;
  constructor(private readonly bound: number) {
    if (!(bound >= 0)) throw new Error(`out-of-orderness bound must be >= 0, got ${bound}`);
  }
  onEvent(_e: T, timestamp: number, _output?: WatermarkOutput): void {
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
  }
  onPeriodicEmit(output: WatermarkOutput): void {
    output.emitWatermark(this.maxTimestamp - this.bound - 1);
  }
  snapshotState(): number {
    return this.maxTimestamp;
  }
  restoreState(state: unknown): void {
    if (typeof state === 'number') this.maxTimestamp = state;
  }
}

/** Never emits a watermark: event-time timers never fire (Flink's `WatermarkStrategy.noWatermarks`). */
class NoWatermarksGenerator<T> implements WatermarkGenerator<T> {
  onEvent(): void {}
  onPeriodicEmit(): void {}
}

/**
 * Marks a partition idle after `timeout` ms of processing time without events (Flink's
 * `WatermarksWithIdleness`), so a quiet partition stops holding back the operator's watermark.
 */
export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  private lastActivity: number;
  private idle = false;
  constructor(
    readonly inner: WatermarkGenerator<T>,
    private readonly timeout: number,
    private readonly clock: Clock,
  ) {
    if (!(timeout > 0)) throw new Error(`idle timeout must be > 0, got ${timeout}`);
    this.lastActivity = clock.now();
  }
  onEvent(event: T, timestamp: number, output: WatermarkOutput): void {
    this.inner.onEvent(event, timestamp, output);
    this.lastActivity = this.clock.now();
    if (this.idle) {
      this.idle = false;
      output.markActive();
    }
  }
  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.clock.now() - this.lastActivity >= this.timeout) {
      if (!this.idle) {
        this.idle = true;
        output.markIdle();
      }
      return;
    }
    this.inner.onPeriodicEmit(output);
  }
  snapshotState(): unknown {
    return this.inner.snapshotState?.();
  }
  restoreState(state: unknown): void {
    this.inner.restoreState?.(state);
  }
}

/** How records get timestamps and partitions get watermarks (Flink's `WatermarkStrategy<T>`). */
export class WatermarkStrategy<T> {
  private constructor(
    private readonly makeGenerator: () => WatermarkGenerator<T>,
    readonly timestampAssigner: TimestampAssigner<T> | undefined,
    readonly idleTimeout: number | undefined,
  ) {}

  /** Watermarks that trail the highest timestamp seen by `bound` ms (plus Flink's 1 ms). */
  static forBoundedOutOfOrderness<T>(bound: number): WatermarkStrategy<T> {
    if (!(bound >= 0)) throw new Error(`out-of-orderness bound must be >= 0, got ${bound}`);
    return new WatermarkStrategy<T>(
      () => new BoundedOutOfOrdernessWatermarks<T>(bound),
      undefined,
      undefined,
    );
  }

  /** For partitions whose timestamps never decrease (bound 0). */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return WatermarkStrategy.forBoundedOutOfOrderness<T>(0);
  }

  /** No watermarks: only processing time and count-based logic. */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new NoWatermarksGenerator<T>(), undefined, undefined);
  }

  /** A custom generator per partition. */
  static forGenerator<T>(factory: () => WatermarkGenerator<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(factory, undefined, undefined);
  }

  /** Uses `assigner` to read each record's event time. Without one, the ingestion time (clock) is used. */
  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(this.makeGenerator, assigner, this.idleTimeout);
  }

  /** Marks a partition idle after `timeout` ms of processing time without records. */
  withIdleness(timeout: number): WatermarkStrategy<T> {
    if (!(timeout > 0)) throw new Error(`idle timeout must be > 0, got ${timeout}`);
    return new WatermarkStrategy<T>(this.makeGenerator, this.timestampAssigner, timeout);
  }

  /** A fresh generator for one partition. */
  createWatermarkGenerator(clock: Clock): WatermarkGenerator<T> {
    const g = this.makeGenerator();
    return this.idleTimeout === undefined ? g : new WatermarksWithIdleness(g, this.idleTimeout, clock);
  }
}
