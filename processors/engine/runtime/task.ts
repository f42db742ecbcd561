import type { EnvironmentConfig } from '../api/stream-execution-environment';
import type { Transformation } from '../api/transformation';
import type { TaskCheckpoint } from '../checkpoint/checkpoint';
import { DeserializingBatch } from '../connectors/deserializing-source';
import type { Offset, SourceBatch, SourceReader } from '../connectors/source';
import { MAX_WATERMARK, MIN_WATERMARK } from '../time';
import type { TimestampAssigner, WatermarkGenerator, WatermarkOutput } from '../watermark/watermark-strategy';
import { KeyedProcessOperator } from './operators/keyed-process-operator';
import { SinkOperator } from './operators/sink-operator';
import {
  SideOutputPassThrough,
  StreamFilter,
  StreamFlatMap,
  StreamMap,
} from './operators/stateless-operators';
import { ChainedOutput, type StreamOperator } from './operators/stream-operator';
import { WindowOperator } from './operators/window-operator';

/** One partition read by a task: its reader, resume offset and watermark. */
export class PartitionRuntime implements WatermarkOutput {
  watermark = MIN_WATERMARK;
  idle = false;
  ended = false;
  reader: SourceReader<unknown> | undefined;
  constructor(
    readonly id: string,
    public offset: Offset | undefined,
    readonly generator: WatermarkGenerator<unknown>,
  ) {}
  emitWatermark(watermark: number): void {
    if (watermark > this.watermark) this.watermark = watermark;
  }
  markIdle(): void {
    this.idle = true;
  }
  markActive(): void {
    this.idle = false;
  }
}

/**
 * One task: a group of partitions and its own instance of the whole operator chain (Flink's subtask).
 * Its watermark is the minimum over its partitions that are neither idle nor ended.
 */
export class Task {
  readonly partitions: PartitionRuntime[];
  readonly operators: StreamOperator[] = [];
  readonly sinks: SinkOperator[] = [];
  private readonly sourceOutput = new ChainedOutput();
  private readonly assigner: TimestampAssigner<unknown> | undefined;
  combinedWatermark = MIN_WATERMARK;
  recordsIn = 0;
  finished = false;

  constructor(
    readonly taskIndex: number,
    readonly parallelism: number,
    partitionIds: readonly string[],
    transformations: readonly Transformation[],
    private readonly config: EnvironmentConfig,
    restore: TaskCheckpoint | undefined,
  ) {
    const source = transformations.find((t) => t.kind === 'source');
    if (source === undefined || source.kind !== 'source') throw new Error('job has no source');
    this.assigner = source.strategy.timestampAssigner;
    this.partitions = partitionIds.map(
      (id) => new PartitionRuntime(id, undefined, source.strategy.createWatermarkGenerator(config.clock)),
    );
    const children = new Map<string, Transformation[]>();
    for (const t of transformations) {
      if (t.kind === 'source') continue;
      const list = children.get(t.parent.id) ?? [];
      list.push(t);
      children.set(t.parent.id, list);
    }
    this.build(source, this.sourceOutput, children);
    if (restore !== undefined) this.restore(restore);
    for (const p of this.partitions) {
      if (!p.ended) p.reader = source.source.createReader(p.id, p.offset);
    }
    for (const op of this.operators) op.open();
  }

  private build(parent: Transformation, out: ChainedOutput, children: Map<string, Transformation[]>): void {
    for (const t of children.get(parent.id) ?? []) {
      const next = new ChainedOutput();
      const op = this.createOperator(t, next);
      this.operators.push(op);
      if (t.kind === 'sideOutput') {
        const list = out.sides.get(t.tag.id) ?? [];
        list.push(op);
        out.sides.set(t.tag.id, list);
      } else out.main.push(op);
      this.build(t, next, children);
    }
  }

  private createOperator(t: Transformation, out: ChainedOutput): StreamOperator {
    const { clock, stateBackend } = this.config;
    switch (t.kind) {
      case 'map':
        return new StreamMap(t.id, out, t.fn);
      case 'filter':
        return new StreamFilter(t.id, out, t.fn);
      case 'flatMap':
        return new StreamFlatMap(t.id, out, t.fn);
      case 'sideOutput':
        return new SideOutputPassThrough(t.id, out);
      case 'process':
        return new KeyedProcessOperator(
          t.id,
          out,
          t.keySelector,
          // One instance per task, like Flink's per-subtask copies of a function.
          typeof t.fn === 'function' ? t.fn() : Object.create(t.fn),
          stateBackend.createKeyedStateBackend(t.id, { clock }),
          clock,
          this.taskIndex,
          this.parallelism,
        );
      case 'window':
        return new WindowOperator(t, out, stateBackend.createKeyedStateBackend(t.id, { clock }), clock);
      case 'sink': {
        const batchSize = t.options.batchSize ?? 500;
        const op = new SinkOperator(
          t.id,
          t.sink.createWriter({ taskIndex: this.taskIndex, parallelism: this.parallelism }),
          batchSize,
          t.options.capacity ?? Math.max(10_000, batchSize),
        );
        this.sinks.push(op);
        return op;
      }
      case 'source':
        throw new Error('a source cannot have a parent');
    }
  }

  /** Feeds one polled batch of a partition through the chain, then updates watermarks. */
  processBatch(p: PartitionRuntime, batch: SourceBatch<unknown>): void {
    // a DeserializingSource's batch: each record deserialized as it is reached (see DeserializingBatch)
    const lazy = batch instanceof DeserializingBatch ? batch : undefined;
    const records: readonly unknown[] = lazy === undefined ? batch.records : lazy.raw;
    const deserialize = lazy?.deserialize;
    const n = records.length;
    const gen = p.generator;
    const out = this.sourceOutput;
    const assigner = this.assigner;
    if (assigner !== undefined) {
      for (let i = 0; i < n; i++) {
        const r = deserialize === undefined ? records[i] : deserialize(records[i]);
        const ts = assigner(r, MIN_WATERMARK);
        gen.onEvent(r, ts, p);
        out.collect(r, ts);
      }
    } else {
      const now = this.config.clock.now();
      for (let i = 0; i < n; i++) {
        const r = deserialize === undefined ? records[i] : deserialize(records[i]);
        gen.onEvent(r, now, p);
        out.collect(r, now);
      }
    }
    this.recordsIn += n;
    p.offset = batch.nextOffset;
    if (batch.endOfPartition === true) p.ended = true;
    gen.onPeriodicEmit(p);
    this.updateWatermark();
  }

  /** Emits the minimum watermark over active partitions when it advanced. */
  updateWatermark(): void {
    let min = Number.POSITIVE_INFINITY;
    let active = false;
    for (const p of this.partitions) {
      if (p.ended || p.idle) continue;
      active = true;
      if (p.watermark < min) min = p.watermark;
    }
    if (active && min > this.combinedWatermark) {
      this.combinedWatermark = min;
      this.sourceOutput.emitWatermark(min);
    }
  }

  /** True once every partition of this task ended. */
  allEnded(): boolean {
    for (const p of this.partitions) if (!p.ended) return false;
    return true;
  }

  advanceProcessingTime(now: number): void {
    for (const op of this.operators) op.onProcessingTime(now);
  }

  /** End of input: the final watermark fires every event-time timer (Flink's `MAX_WATERMARK`). */
  finishInput(): void {
    if (this.finished) return;
    this.finished = true;
    this.combinedWatermark = MAX_WATERMARK;
    this.sourceOutput.emitWatermark(MAX_WATERMARK);
  }

  snapshot(): TaskCheckpoint {
    return {
      taskIndex: this.taskIndex,
      partitions: this.partitions.map((p) => ({
        partition: p.id,
        offset: p.offset,
        ended: p.ended,
        watermarkState: p.generator.snapshotState?.(),
        watermark: p.watermark,
        idle: p.idle,
      })),
      combinedWatermark: this.combinedWatermark,
      operators: this.operators.map((op) => ({ operatorId: op.id, state: op.snapshotState() })),
    };
  }

  private restore(c: TaskCheckpoint): void {
    for (const pc of c.partitions) {
      const p = this.partitions.find((x) => x.id === pc.partition);
      if (p === undefined)
        throw new Error(
          `checkpoint has partition ${pc.partition}, which task ${this.taskIndex} does not read`,
        );
      p.offset = pc.offset;
      p.ended = pc.ended;
      p.watermark = pc.watermark;
      p.idle = pc.idle;
      p.generator.restoreState?.(pc.watermarkState);
    }
    this.combinedWatermark = c.combinedWatermark;
    for (const oc of c.operators) {
      const op = this.operators.find((o) => o.id === oc.operatorId);
      if (op === undefined)
        throw new Error(`checkpoint has state of operator "${oc.operatorId}", which the job does not have`);
      op.restoreState(oc.state);
    }
  }
}
