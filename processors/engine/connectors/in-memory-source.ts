import type { Offset, Source, SourceBatch, SourceReader } from './source';

/** Options of {@link InMemorySource}. */
export interface InMemorySourceOptions {
  /** When false, partitions never end: once read, a poll returns an empty batch (for idleness tests). */
  readonly bounded?: boolean;
}

/**
 * A source over arrays held in memory, one array per partition; the offset is the index of the next
 * record. Bounded by default. Records can be appended later (unbounded mode) with {@link append}.
 */
export class InMemorySource<T> implements Source<T> {
  private readonly data: Map<string, T[]>;
  private readonly bounded: boolean;
  /** Records handed out by polls, per partition (to observe backpressure in tests). */
  readonly polled = new Map<string, number>();

  constructor(
    partitions: ReadonlyMap<string, readonly T[]> | readonly (readonly T[])[],
    options: InMemorySourceOptions = {},
  ) {
    this.data = new Map();
    if (Array.isArray(partitions)) {
      (partitions as readonly (readonly T[])[]).forEach((p, i) => {
        this.data.set(String(i), [...p]);
      });
    } else {
      for (const [k, v] of partitions as ReadonlyMap<string, readonly T[]>) this.data.set(k, [...v]);
    }
    this.bounded = options.bounded ?? true;
  }

  /** A bounded source with `values` spread over `partitions` by `partitionOf` (default: round-robin). */
  static fromElements<T>(
    values: readonly T[],
    partitions = 1,
    partitionOf?: (value: T, index: number) => number,
  ): InMemorySource<T> {
    const parts: T[][] = Array.from({ length: partitions }, () => []);
    values.forEach((v, i) => {
      const p = partitionOf ? partitionOf(v, i) : i % partitions;
      const target = parts[((p % partitions) + partitions) % partitions];
      if (target === undefined) throw new Error(`partition ${p} out of range`);
      target.push(v);
    });
    return new InMemorySource(parts);
  }

  partitions(): readonly string[] {
    return [...this.data.keys()];
  }

  /** Appends records to a partition (visible to readers of unbounded sources). */
  append(partition: string, ...records: T[]): void {
    const p = this.data.get(partition);
    if (p === undefined) throw new Error(`unknown partition ${partition}`);
    p.push(...records);
  }

  createReader(partition: string, startOffset: Offset | undefined): SourceReader<T> {
    const records = this.data.get(partition);
    if (records === undefined) throw new Error(`unknown partition ${partition}`);
    let position = startOffset === undefined ? 0 : Number(startOffset);
    if (!Number.isInteger(position) || position < 0)
      throw new Error(`bad offset ${startOffset} for partition ${partition}`);
    const bounded = this.bounded;
    const polled = this.polled;
    return {
      poll(maxRecords: number): SourceBatch<T> {
        const end = Math.min(records.length, position + maxRecords);
        const batch = position === 0 && end === records.length ? records : records.slice(position, end);
        polled.set(partition, (polled.get(partition) ?? 0) + (end - position));
        position = end;
        return {
          records: batch,
          nextOffset: String(position),
          endOfPartition: bounded && position >= records.length,
        };
      },
    };
  }
}
